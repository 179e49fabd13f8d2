package forkafterthreads

import (
	"github.com/finalock/finalock/analyzer"
	"go/ast"
	"go/types"
)

// This file computes what the package's own functions do, on their ASTs:
// which start a process and which mark a parameter close-on-exec. Which
// create a descriptor with the flags their caller gives is the engine's
// summary (Summary.Fds), for the package's functions and imported ones
// alike.

// A localCall is a static call from one function of the package to
// another (or to anything), outside go statements.
type localCall struct {
	call *ast.CallExpr
	fn   *types.Func
}

// summarize fills c.starts and c.markers.
func (c *checker) summarize() {
	calls := map[*decl][]localCall{}
	for _, d := range c.decls {
		ast.Inspect(d.body, func(n ast.Node) bool {
			if _, ok := n.(*ast.GoStmt); ok {
				return false // runs on another goroutine
			}
			if call, ok := n.(*ast.CallExpr); ok {
				if fn := c.callee(call); fn != nil {
					calls[d] = append(calls[d], localCall{call, fn})
				}
			}
			return true
		})
	}
	c.starts = c.reach(calls, func(lc localCall) (string, bool) {
		name, ok := analyzer.ProcessStart(lc.fn.FullName())
		return name, ok
	})

	// Markers: CloseOnExec(param), to a fixed point through the package's
	// own functions.
	c.markers = map[*types.Func]int{}
	for changed := true; changed; {
		changed = false
		for _, d := range c.decls {
			if d.fn == nil {
				continue
			}
			if _, ok := c.markers[d.fn]; ok {
				continue
			}
			for _, lc := range calls[d] {
				if r, ok := c.mark(d.sc, lc.call, lc.fn); ok && r.idx < 0 {
					if i, ok := d.sc.params[r.v]; ok {
						c.markers[d.fn] = i
						changed = true
						break
					}
				}
			}
		}
	}
}

// reach returns, for every function of the package that reaches a call
// matched by target through static calls of the package's functions, the
// shortest witness chain.
func (c *checker) reach(calls map[*decl][]localCall, target func(localCall) (string, bool)) map[*types.Func][]analyzer.Step {
	out := map[*types.Func][]analyzer.Step{}
	for _, d := range c.decls {
		if d.fn == nil {
			continue
		}
		for _, lc := range calls[d] {
			if name, ok := target(lc); ok {
				out[d.fn] = []analyzer.Step{c.hop(name, lc.call.Pos())}
				break
			}
		}
	}
	for round := 0; round < len(c.decls); round++ {
		next := map[*types.Func][]analyzer.Step{}
		for _, d := range c.decls {
			if d.fn == nil || out[d.fn] != nil {
				continue
			}
			for _, lc := range calls[d] {
				if chain, ok := out[lc.fn]; ok && lc.fn != d.fn {
					next[d.fn] = prepend(c.hop(c.funcName(lc.fn), lc.call.Pos()), chain)
					break
				}
			}
		}
		if len(next) == 0 {
			break
		}
		for fn, chain := range next {
			out[fn] = chain
		}
	}
	return out
}
