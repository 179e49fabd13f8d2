package analyzer

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file finds the functions that set SysProcAttr.Pdeathsig and start
// a process themselves: the start must come after runtime.LockOSThread on
// every path, as lockedBefore defines it for starts in other functions.

// ownDeathsigStarts returns, for every declared function that sets a
// non-zero Pdeathsig (itself or in its closures) and starts a process
// from a goroutine that has not locked its thread, one DeathsigStart per
// setting, with the first such start.
func (e *engine) ownDeathsigStarts() []DeathsigStart {
	if !e.importsPkg("syscall") {
		return nil
	}
	var out []DeathsigStart
	for _, fn := range e.funcs {
		if fn.Parent() != nil || e.localInstance(fn) {
			continue
		}
		tree := withClosures(fn)
		var sets []token.Pos
		for _, f := range tree {
			sets = append(sets, pdeathsigStores(f)...)
		}
		if len(sets) == 0 {
			continue
		}
		at, chain := e.unlockedStart(tree)
		if chain == nil {
			continue
		}
		for _, set := range sets {
			out = append(out, DeathsigStart{Pos: at, Call: chain[len(chain)-1].Func, Set: set, Started: chain})
		}
	}
	return out
}

// withClosures returns fn and the closures inside it, outermost first.
func withClosures(fn *ssa.Function) []*ssa.Function {
	out := []*ssa.Function{fn}
	for i := 0; i < len(out); i++ {
		out = append(out, out[i].AnonFuncs...)
	}
	return out
}

// pdeathsigStores returns the positions where fn stores a non-zero
// SysProcAttr.Pdeathsig.
func pdeathsigStores(fn *ssa.Function) []token.Pos {
	var out []token.Pos
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && isField(st.Addr, "syscall", "SysProcAttr", "Pdeathsig") && !isZeroConst(st.Val) {
				out = append(out, st.Pos())
			}
		}
	}
	return out
}

// unlockedStart returns the first process start, by position, that the
// functions of tree (a declared function and its closures) make on a
// goroutine without runtime.LockOSThread before it on every path, and
// its witness; a nil witness when there is none. A closure that the tree
// calls is seen at its call, through its summary; any other closure (a
// goroutine's, a callback's) starts without its creator's lock.
func (e *engine) unlockedStart(tree []*ssa.Function) (token.Pos, []Hop) {
	called := map[*ssa.Function]bool{}
	for _, f := range tree {
		e.eachCall(f, func(c ssa.CallInstruction, callee *ssa.Function) {
			if _, isGo := c.(*ssa.Go); !isGo && slices.Contains(tree, callee) {
				called[callee] = true
			}
		})
	}
	var best []Hop
	var bestPos token.Pos
	for _, f := range tree {
		if called[f] && f != tree[0] {
			continue
		}
		e.eachCall(f, func(c ssa.CallInstruction, callee *ssa.Function) {
			if _, isGo := c.(*ssa.Go); isGo && slices.Contains(tree, callee) {
				return // the closure is checked as a goroutine of its own
			}
			chain := e.startOfCall(c, callee)
			if chain == nil || lockedBefore(f, c) || (best != nil && c.Pos() >= bestPos) {
				return
			}
			best, bestPos = chain, c.Pos()
		})
	}
	return bestPos, best
}

// startOfCall returns the witness of the process start that the call c
// of callee makes, whatever goroutine runs it, or nil.
func (e *engine) startOfCall(c ssa.CallInstruction, callee *ssa.Function) []Hop {
	if obj := funcObject(callee); obj != nil {
		if name, ok := ProcessStart(obj.FullName()); ok {
			return []Hop{e.hop(name, c.Pos())}
		}
	}
	if s := e.summaryOf(callee); s != nil && s.Starts != nil {
		return prepend(e.hop(displayName(callee, e.pkg), c.Pos()), s.Starts)
	}
	return nil
}
