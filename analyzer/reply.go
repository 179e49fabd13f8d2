package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A reply channel carries one answer to the function that made it:
//
//	wait := make(chan result, 1)
//	waiters = append(waiters, wait) // handed out
//	...
//	res := <-wait                   // waits for the one answer
//
// and whoever answers does "w <- result{...}" once. The buffer holds the
// one answer its maker waits for, so the send does not wait.
//
// replyElems returns the element types of the package's reply channels: a
// named type of the package, unexported (so no other package makes a
// channel of it), such that every channel of that element the package
// makes has a buffer, and the function that makes it receives from it
// exactly once and neither sends on it nor closes it.
func (e *engine) replyElems() map[types.Type]bool {
	if e.replies != nil {
		return e.replies
	}
	e.replies = map[types.Type]bool{}
	bad := map[types.Type]bool{}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeChan)
				if !ok {
					continue
				}
				elem := mc.Type().Underlying().(*types.Chan).Elem()
				named, ok := types.Unalias(elem).(*types.Named)
				if !ok || named.Obj().Pkg() != e.pkg || named.Obj().Exported() {
					continue
				}
				if replyMake(mc) {
					e.replies[named] = true
				} else {
					bad[named] = true
				}
			}
		}
	}
	for t := range bad {
		delete(e.replies, t)
	}
	return e.replies
}

// replyMake reports whether mc makes a buffered channel that its function
// receives from once and never sends on or closes.
func replyMake(mc *ssa.MakeChan) bool {
	if !buffered(mc) {
		return false
	}
	recvs := 0
	for _, r := range *mc.Referrers() {
		switch x := r.(type) {
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				if x.CommaOk || inLoop(x.Block()) {
					return false
				}
				recvs++
			}
		case *ssa.Send:
			return false
		case *ssa.Select:
			return false
		case *ssa.Store:
			if _, cell := x.Addr.(*ssa.Alloc); cell {
				return false // a variable: its uses are out of sight here
			}
		case ssa.CallInstruction:
			if bi, ok := x.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" {
				return false
			}
		}
	}
	return recvs == 1
}

// replySend reports whether a send on ch, whose place is p, is an answer
// on a reply channel.
func (w *walker) replySend(ch ssa.Value, p place) bool {
	if p.class != "" && w.e.onceFields()[p.class] {
		return true
	}
	c, ok := ch.Type().Underlying().(*types.Chan)
	if !ok {
		return false
	}
	named, ok := types.Unalias(c.Elem()).(*types.Named)
	return ok && w.e.replyElems()[named]
}
