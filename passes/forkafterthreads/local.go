package forkafterthreads

import (
	"go/ast"
	"go/types"
)

// This file computes which of the package's own functions mark a
// parameter close-on-exec, on their ASTs. Which start a process
// (Summary.Starts) and which create a descriptor with the flags their
// caller gives (Summary.Fds) are the engine's summaries, for the
// package's functions and imported ones alike.

// A localCall is a static call from one function of the package to
// another (or to anything), outside go statements.
type localCall struct {
	call *ast.CallExpr
	fn   *types.Func
}

// summarize fills c.markers.
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
