package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A token channel is a one-slot channel used as a mutex:
//
//	c.st = make(chan state, 1)
//	c.st <- state{} // primed
//	...
//	st := <-c.st    // take the token: Lock
//	c.st <- st      // give it back: Unlock
//
// A receive from it takes the token and a send gives it back. The receive
// waits only while another goroutine holds the token, so it is judged the
// way a Lock is: it is a hazard when the token is held somewhere across an
// unbounded wait.
//
// tokens returns the package's token channel classes: a variable or
// field that every store fills with a channel made with capacity 1 and
// primed with one send in the function that makes it, and that no code of
// the package closes.
func (e *engine) tokens() map[string]bool {
	if e.tokenClasses != nil {
		return e.tokenClasses
	}
	e.tokenClasses = map[string]bool{}
	bad := map[string]bool{}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Store:
					if _, ok := x.Val.Type().Underlying().(*types.Chan); !ok {
						continue
					}
					c := e.addrPlace(x.Addr, 0).class
					if c == "" {
						continue
					}
					if e.primedToken(x.Val, c) {
						e.tokenClasses[c] = true
					} else {
						bad[c] = true
					}
				case ssa.CallInstruction:
					if bi, ok := x.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(x.Common().Args) == 1 {
						bad[e.chanPlace(x.Common().Args[0], 0).class] = true
					}
				}
			}
		}
	}
	for c := range bad {
		delete(e.tokenClasses, c)
	}
	return e.tokenClasses
}

// primedToken reports whether v is a channel made in its function with
// capacity 1 and sent on exactly once there (directly, or through the
// variable or field of class it is stored in), outside loops.
func (e *engine) primedToken(v ssa.Value, class string) bool {
	mc, ok := v.(*ssa.MakeChan)
	if !ok {
		return false
	}
	size, ok := mc.Size.(*ssa.Const)
	if !ok || size.Value == nil {
		return false
	}
	if n, exact := constant.Int64Val(constant.ToInt(size.Value)); !exact || n != 1 {
		return false
	}
	sends := 0
	for _, b := range mc.Parent().Blocks {
		for _, instr := range b.Instrs {
			s, ok := instr.(*ssa.Send)
			if !ok || (s.Chan != ssa.Value(mc) && e.chanPlace(s.Chan, 0).class != class) {
				continue
			}
			if inLoop(b) {
				return false
			}
			sends++
		}
	}
	return sends == 1
}

// tokenPlace returns the place of ch when it is a token channel.
func (w *walker) tokenPlace(ch ssa.Value) (place, bool) {
	if len(w.e.tokens()) == 0 {
		return place{}, false // most packages: no second chanPlace per operation
	}
	p := w.e.chanPlace(ch, 0)
	return p, p.class != "" && w.e.tokens()[p.class]
}

// takeToken records a receive from a token channel: a lock acquisition.
func (w *walker) takeToken(p place, pos token.Pos, held heldSet) heldSet {
	op := w.opAt(KindToken, "take "+p.short, p, pos)
	op.ByValue = false
	w.emitLock(op, held)
	return held.with(heldLock{key: p.key, op: op, at: pos})
}

// giveToken records a send on a token channel: the token goes back.
func (w *walker) giveToken(p place, held heldSet) heldSet {
	out, ok := held.without(p.key, p.class)
	if !ok && w.record && !w.region {
		w.sum.releases.add(Op{Kind: KindToken, What: "take " + p.short, Class: p.class, Param: p.param})
	}
	return out
}
