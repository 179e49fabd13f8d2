package forkafterthreads

import (
	"go/ast"
	"go/constant"
	"go/types"
)

// This file evaluates a flags parameter from the arguments that the
// function's callers pass: for an unexported function that the package
// only calls (never uses as a value), every caller is in sight.

// A site is a call of a function of the package, with the declaration
// that makes it.
type site struct {
	call *ast.CallExpr
	d    *decl
}

// maxParamDepth bounds how far a parameter is followed through callers
// that pass their own parameters on.
const maxParamDepth = 3

// paramFlags evaluates parameter p of fn for the bit: lacks when every
// call of fn in the package passes a value without it (constants, or
// variables whose every value is known); unknown when fn is exported,
// used as a value, has a receiver or is never called.
func (c *checker) paramFlags(fn *types.Func, p int, bit constant.Value, depth int) flagVal {
	if fn == nil || fn.Exported() || depth > maxParamDepth || fn.Type().(*types.Signature).Recv() != nil {
		return unknown
	}
	sites, ok := c.callSites()[fn]
	if !ok || len(sites) == 0 {
		return unknown
	}
	val := none
	for _, s := range sites {
		if p >= len(s.call.Args) || s.call.Ellipsis.IsValid() {
			return unknown
		}
		v := s.d.sc.bitVal(s.call.Args[p], bit)
		if v.k == flagParam {
			v = c.paramFlags(s.d.fn, v.p, bit, depth+1)
		}
		if val = join(val, v); val.k != flagLacks {
			return unknown
		}
	}
	return val
}

// callSites maps each function of the package that is only ever called
// to its calls (computed once); a function also used as a value is
// absent.
func (c *checker) callSites() map[*types.Func][]site {
	if c.sites != nil {
		return c.sites
	}
	c.sites = map[*types.Func][]site{}
	uses := map[*types.Func]int{}
	for _, obj := range c.info.Uses {
		if fn, ok := obj.(*types.Func); ok && fn.Origin().Pkg() == c.pass.Pkg {
			uses[fn.Origin()]++
		}
	}
	calls := map[*types.Func]int{}
	for _, d := range c.decls {
		ast.Inspect(d.node, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if fn := c.callee(call); fn != nil && fn.Pkg() == c.pass.Pkg {
				c.sites[fn] = append(c.sites[fn], site{call, d})
				calls[fn]++
			}
			return true
		})
	}
	for fn, n := range calls {
		if uses[fn] != n {
			delete(c.sites, fn) // used as a value too: callers unknown
		}
	}
	return c.sites
}
