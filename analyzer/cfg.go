package analyzer

import "golang.org/x/tools/go/ssa"

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
func reachable(from, to, avoid *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{avoid: true}
	work := append([]*ssa.BasicBlock(nil), from.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == to {
			return true
		}
		if !seen[x] {
			seen[x] = true
			work = append(work, x.Succs...)
		}
	}
	return false
}

// mustPass reports whether every path from block b to a return of its
// function passes through one of the blocks through (b itself counts).
// A path that ends in a panic does not return.
func mustPass(b *ssa.BasicBlock, through ...*ssa.BasicBlock) bool {
	stop := map[*ssa.BasicBlock]bool{}
	for _, t := range through {
		if t != nil {
			stop[t] = true
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if stop[x] || seen[x] {
			continue
		}
		seen[x] = true
		if n := len(x.Instrs); n > 0 {
			if _, ok := x.Instrs[n-1].(*ssa.Return); ok {
				return false
			}
		}
		work = append(work, x.Succs...)
	}
	return true
}
