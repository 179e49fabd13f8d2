package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Paths through a function's blocks that agree with its tests against
// nil: a path that found x nil at one if does not find it not nil at the
// next, unless it stored into x between them.

// A nilState says which of the values a function tests against nil a
// path found nil, and which not nil (bits of their numbers).
type nilState struct{ isNil, notNil uint64 }

// nilPaths walks the paths from block b that avoid the blocks through,
// taking no branch of a nil test that contradicts what the path found
// before (if x != nil { ... }; ...; if x != nil { ... } takes both or
// neither). It reports whether found holds at a block of one of them
// (x, entered from block from, nil for b), and, with no way to tell,
// when there are too many paths.
func nilPaths(b *ssa.BasicBlock, tested map[ssa.Value]int, through []*ssa.BasicBlock, found func(x, from *ssa.BasicBlock, s nilState) bool) bool {
	fn := b.Parent()
	stop := make([]bool, len(fn.Blocks))
	for _, t := range through {
		if t != nil && t.Parent() == fn {
			stop[t.Index] = true
		}
	}
	// A store into a variable forgets what the path found of it.
	stored := map[*ssa.BasicBlock]uint64{}
	for v, i := range tested {
		if cell, ok := v.(*ssa.Alloc); ok {
			for _, r := range *cell.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
					stored[st.Block()] |= 1 << i
				}
			}
		}
	}
	type state struct {
		blk, from int
		nilState
	}
	seen := map[state]bool{}
	work := []state{{blk: b.Index, from: -1}}
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		if stop[s.blk] {
			continue
		}
		if _, isRet := fn.Blocks[s.blk].Instrs[len(fn.Blocks[s.blk].Instrs)-1].(*ssa.Return); !isRet {
			s.from = -1 // only a return looks at where the path came from
		}
		if seen[s] {
			continue
		}
		seen[s] = true
		if len(seen) > 16*len(fn.Blocks)+256 {
			return true
		}
		x := fn.Blocks[s.blk]
		if m := stored[x]; m != 0 {
			s.isNil &^= m
			s.notNil &^= m
		}
		var from *ssa.BasicBlock
		if s.from >= 0 {
			from = fn.Blocks[s.from]
		}
		if found(x, from, s.nilState) {
			return true
		}
		if last, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If); ok {
			if v, nilIfTrue, ok := nilTest(last.Cond); ok {
				if i, ok := tested[nilKey(v)]; ok {
					bit := uint64(1) << i
					onNil, onNot := s.nilState, s.nilState
					onNil.isNil |= bit
					onNot.notNil |= bit
					nilSucc, notSucc := x.Succs[1], x.Succs[0]
					if nilIfTrue {
						nilSucc, notSucc = notSucc, nilSucc
					}
					if s.notNil&bit == 0 {
						work = append(work, state{nilSucc.Index, x.Index, onNil})
					}
					if s.isNil&bit == 0 {
						work = append(work, state{notSucc.Index, x.Index, onNot})
					}
					continue
				}
			}
		}
		for _, next := range x.Succs {
			work = append(work, state{next.Index, x.Index, s.nilState})
		}
	}
	return false
}

// nilTested returns, numbered, the values of fn that an if tests against
// nil (at most 64; with errs set, only errors).
func nilTested(fn *ssa.Function, errs bool) map[ssa.Value]int {
	out := map[ssa.Value]int{}
	for _, b := range fn.Blocks {
		if n := len(b.Instrs); n > 0 {
			if i, ok := b.Instrs[n-1].(*ssa.If); ok {
				if v, _, ok := nilTest(i.Cond); ok && len(out) < 64 && (!errs || types.Identical(v.Type(), errorType)) {
					if _, dup := out[nilKey(v)]; !dup {
						out[nilKey(v)] = len(out)
					}
				}
			}
		}
	}
	return out
}

// nilKey is what a nil test tests: the variable, for a load of a local
// variable that closures capture (each read of it is a load of its own),
// else the value.
func nilKey(v ssa.Value) ssa.Value {
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		if cell, ok := load.X.(*ssa.Alloc); ok && cell.Heap {
			return cell
		}
	}
	return v
}

// nilTest reports whether cond compares a value with nil, and which:
// nilIfTrue says that cond holds when it is nil (err == nil).
func nilTest(cond ssa.Value) (v ssa.Value, nilIfTrue, ok bool) {
	bin, isBin := cond.(*ssa.BinOp)
	if !isBin || (bin.Op != token.EQL && bin.Op != token.NEQ) {
		return nil, false, false
	}
	x, y := bin.X, bin.Y
	if c, isConst := x.(*ssa.Const); isConst && c.IsNil() {
		x, y = y, x
	}
	if c, isConst := y.(*ssa.Const); !isConst || !c.IsNil() {
		return nil, false, false
	}
	return x, bin.Op == token.EQL, true
}

// reachesAgreeing reports whether block to can be reached from block
// from on a path that avoids the blocks avoid and agrees with the nil
// tests that every path to to passes: the ifs that dominate it, on the
// branch that leads there. Of x != nil guarding to, a path that took the
// branch where x is nil earlier cannot reach it (x is a value, or a
// variable that nothing stores into after that branch).
func reachesAgreeing(from, to *ssa.BasicBlock, avoid []*ssa.BasicBlock) bool {
	fn := from.Parent()
	// must[v] is whether v is nil on every path to to.
	must := map[ssa.Value]bool{}
	for d := to; d != nil; d = d.Idom() {
		idom := d.Idom()
		if idom == nil {
			break
		}
		last, ok := idom.Instrs[len(idom.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		v, nilIfTrue, ok := nilTest(last.Cond)
		if !ok {
			continue
		}
		var onNil *ssa.BasicBlock
		if nilIfTrue {
			onNil = idom.Succs[0]
		} else {
			onNil = idom.Succs[1]
		}
		for _, s := range idom.Succs {
			if s.Dominates(to) {
				must[nilKey(v)] = s == onNil
			}
		}
	}
	stop := make([]bool, len(fn.Blocks))
	for _, a := range avoid {
		if a != nil && a.Parent() == fn {
			stop[a.Index] = true
		}
	}
	seen := make([]bool, len(fn.Blocks))
	work := []*ssa.BasicBlock{from}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if stop[x.Index] || seen[x.Index] {
			continue
		}
		seen[x.Index] = true
		if x == to {
			return true
		}
		if last, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If); ok {
			if v, nilIfTrue, ok := nilTest(last.Cond); ok {
				if isNil, ok := must[nilKey(v)]; ok && !storedAfter(nilKey(v), x) {
					if isNil == nilIfTrue {
						work = append(work, x.Succs[0])
					} else {
						work = append(work, x.Succs[1])
					}
					continue
				}
			}
		}
		work = append(work, x.Succs...)
	}
	return false
}

// storedAfter reports whether the variable v (a value never changes)
// may be stored into after block b.
func storedAfter(v ssa.Value, b *ssa.BasicBlock) bool {
	cell, ok := v.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell && reachable(b, st.Block(), nil) {
			return true
		}
	}
	return false
}
