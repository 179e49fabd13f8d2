package analyzer

import (
	"go/constant"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file holds the control-flow questions the engine asks of a
// function's SSA blocks.

// before reports whether a runs before b on every path to b.
func before(a, b ssa.Instruction) bool {
	if a.Block() != b.Block() {
		return a.Block().Dominates(b.Block())
	}
	for _, instr := range a.Block().Instrs {
		switch instr {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// inLoop reports whether block b can run more than once per call.
func inLoop(b *ssa.BasicBlock) bool { return reachable(b, b, nil) }

// reachable reports whether block to can run after block from, on a path
// that does not pass through block avoid (nil: on any path).
//
// The blocks seen are marked by index in their function's list, not in a
// map: the engine asks this of many pairs of blocks in every walk.
func reachable(from, to, avoid *ssa.BasicBlock) bool {
	seen := make([]bool, len(from.Parent().Blocks))
	if avoid != nil && avoid.Parent() == from.Parent() {
		seen[avoid.Index] = true
	}
	work := append([]*ssa.BasicBlock(nil), from.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == to {
			return true
		}
		if !seen[x.Index] {
			seen[x.Index] = true
			work = append(work, x.Succs...)
		}
	}
	return false
}

// mustPass reports whether every path from block b to a return of its
// function passes through one of the blocks through (b itself counts).
// A path that ends in a panic does not return.
func mustPass(b *ssa.BasicBlock, through ...*ssa.BasicBlock) bool {
	// Blocks by index in their function's list: stop (1) or seen (2).
	const stop, seen = 1, 2
	mark := make([]uint8, len(b.Parent().Blocks))
	for _, t := range through {
		if t != nil && t.Parent() == b.Parent() {
			mark[t.Index] = stop
		}
	}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if mark[x.Index] != 0 {
			continue
		}
		mark[x.Index] = seen
		if n := len(x.Instrs); n > 0 {
			if _, ok := x.Instrs[n-1].(*ssa.Return); ok {
				return false
			}
		}
		work = append(work, x.Succs...)
	}
	return true
}

// inLoop is inLoop(b), computed once for every block of b's function:
// the blocks of its control-flow graph's cycles.
func (e *engine) inLoop(b *ssa.BasicBlock) bool {
	fn := b.Parent()
	loops, ok := e.loopBlocks[fn]
	if !ok {
		loops = cycleBlocks(fn)
		if e.loopBlocks == nil {
			e.loopBlocks = map[*ssa.Function]map[*ssa.BasicBlock]bool{}
		}
		e.loopBlocks[fn] = loops
	}
	return loops[b]
}

// cycleBlocks returns the blocks of fn that lie on a cycle of its
// control-flow graph (Tarjan's algorithm on the blocks).
func cycleBlocks(fn *ssa.Function) map[*ssa.BasicBlock]bool {
	out := map[*ssa.BasicBlock]bool{}
	index := make([]int, len(fn.Blocks))
	low := make([]int, len(fn.Blocks))
	on := make([]bool, len(fn.Blocks))
	for i := range index {
		index[i] = -1
	}
	var stack []*ssa.BasicBlock
	next := 0
	var visit func(b *ssa.BasicBlock)
	visit = func(b *ssa.BasicBlock) {
		i := b.Index
		index[i], low[i] = next, next
		next++
		stack = append(stack, b)
		on[i] = true
		for _, s := range b.Succs {
			switch {
			case index[s.Index] < 0:
				visit(s)
				low[i] = min(low[i], low[s.Index])
			case on[s.Index]:
				low[i] = min(low[i], index[s.Index])
			}
		}
		if low[i] != index[i] {
			return
		}
		var scc []*ssa.BasicBlock
		for {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			on[x.Index] = false
			scc = append(scc, x)
			if x == b {
				break
			}
		}
		if len(scc) > 1 || slices.Contains(b.Succs, b) {
			for _, x := range scc {
				out[x] = true
			}
		}
	}
	for _, b := range fn.Blocks {
		if index[b.Index] < 0 {
			visit(b)
		}
	}
	return out
}

// selectCase returns the block that runs when case i of the select s is
// chosen, or nil: the true branch of the test `index == i` on the
// select's result (a case that breaks out of a loop branches to the
// loop's exit, which other paths reach too).
func selectCase(s *ssa.Select, i int) *ssa.BasicBlock {
	for _, r := range *s.Referrers() {
		ex, ok := r.(*ssa.Extract)
		if !ok || ex.Index != 0 {
			continue
		}
		for _, r := range *ex.Referrers() {
			cmp, ok := r.(*ssa.BinOp)
			if !ok || cmp.Op != token.EQL {
				continue
			}
			c, ok := cmp.Y.(*ssa.Const)
			if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
				continue
			}
			if n, exact := constant.Int64Val(c.Value); !exact || n != int64(i) {
				continue
			}
			for _, r := range *cmp.Referrers() {
				if iff, ok := r.(*ssa.If); ok && len(iff.Block().Succs) == 2 {
					return iff.Block().Succs[0]
				}
			}
		}
	}
	return nil
}
