package analyzer

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file decides which operations a caller's nil argument rules out.
// A function that does something only when a parameter is not nil
//
//	func (a *Account) Enable(tq chan<- func()) {
//		if tq != nil {
//			for _, t := range tasks { tq <- t }
//			wg.Wait()
//		}
//	}
//
// never waits when its caller passes nil for tq: the wait carries the
// guard [tq] in the summary, and translating it at a call whose argument
// there is the constant nil drops it.

// guards returns, for each block of fn, the parameters (by index,
// receiver first, sorted) that are not nil whenever the block runs: the
// block is dominated by the branch of a `p != nil` (or `p == nil`) test
// taken when p is not nil, entered from the test alone.
func (e *engine) guards(fn *ssa.Function) map[*ssa.BasicBlock][]int {
	if g, ok := e.guardMemo[fn]; ok {
		return g
	}
	var out map[*ssa.BasicBlock][]int
	for _, b := range fn.DomPreorder() {
		var g []int
		if d := b.Idom(); d != nil {
			g = out[d]
			if p := nonNilEdge(d, b, fn); p >= 0 && !slices.Contains(g, p) {
				g = slices.Insert(slices.Clone(g), sortedIndex(g, p), p)
			}
		}
		if len(g) > 0 {
			if out == nil {
				out = map[*ssa.BasicBlock][]int{}
			}
			out[b] = g
		}
	}
	if e.guardMemo == nil {
		e.guardMemo = map[*ssa.Function]map[*ssa.BasicBlock][]int{}
	}
	e.guardMemo[fn] = out
	return out
}

// nonNilEdge returns the parameter that the edge from d to b, b's only
// way in, proves not nil, or -1.
func nonNilEdge(d, b *ssa.BasicBlock, fn *ssa.Function) int {
	if len(b.Preds) != 1 || b.Preds[0] != d || len(d.Succs) != 2 || d.Succs[0] == d.Succs[1] {
		return -1
	}
	br, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
	if !ok {
		return -1
	}
	cmp, ok := br.Cond.(*ssa.BinOp)
	if !ok || (cmp.Op != token.NEQ && cmp.Op != token.EQL) {
		return -1
	}
	x, y := cmp.X, cmp.Y
	if isNil(x) {
		x, y = y, x
	}
	if !isNil(y) {
		return -1
	}
	p := inputOf(x, fn)
	if p < 0 {
		return -1
	}
	notNil := d.Succs[0] // the true branch of p != nil
	if cmp.Op == token.EQL {
		notNil = d.Succs[1]
	}
	if notNil != b {
		return -1
	}
	return p
}

// isNil reports whether v is the constant nil.
func isNil(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

func sortedIndex(s []int, x int) int {
	i, _ := slices.BinarySearch(s, x)
	return i
}

// blockGuard returns op with the guard of the block being walked added
// to its own.
func (w *walker) blockGuard(op Op) Op {
	if w.cur == nil || w.mode == walkPrefix {
		return op
	}
	g := w.e.guards(w.fn)[w.cur]
	if len(g) == 0 {
		return op
	}
	op.Guard = unionGuards(op.Guard, g)
	return op
}

// unionGuards returns the sorted union of two sorted guards.
func unionGuards(a, b []int) []int {
	if len(a) == 0 {
		return b
	}
	out := slices.Clone(a)
	for _, p := range b {
		if !slices.Contains(out, p) {
			out = slices.Insert(out, sortedIndex(out, p), p)
		}
	}
	return out
}

// intersectGuards returns the parameters in both guards: an operation
// that two paths perform happens when either path's guard holds.
func intersectGuards(a, b []int) []int {
	var out []int
	for _, p := range a {
		if slices.Contains(b, p) {
			out = append(out, p)
		}
	}
	return out
}

// translateGuard restates a callee's guard at a call with args: ok is
// false when an argument for a guarded parameter is the constant nil
// (the operation cannot happen); otherwise the guard names the caller's
// parameters passed there.
func translateGuard(guard []int, args []ssa.Value) (_ []int, ok bool) {
	var out []int
	for _, j := range guard {
		if j >= len(args) {
			continue
		}
		if isNil(args[j]) {
			return nil, false
		}
		if i := inputOf(args[j], args[j].Parent()); i >= 0 && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out, true
}

// unguarded returns op without its guard, for operations whose guard is
// not restated at calls (allocations, goroutine starts).
func unguarded(op Op) Op {
	op.Guard = nil
	return op
}
