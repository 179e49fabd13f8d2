package analyzer

import (
	"go/token"

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
// An empty one-slot channel is a mutex the other way round:
//
//	db.writeLock = make(chan struct{}, 1)
//	...
//	db.writeLock <- struct{}{} // take: Lock
//	<-db.writeLock             // give back: Unlock
//
// A send takes the token and a receive, which finds the token there,
// gives it back without waiting.
type tokenDir uint8

const (
	takenByRecv tokenDir = iota + 1 // primed: a receive takes the token
	takenBySend                     // empty: a send takes the token
)

// tokens returns the package's token channel classes: a variable or field
// that every store fills with a channel made with capacity 1, and that no
// code of the package closes. The channel is taken by a receive when every
// store primes it with one send in the function that makes it. It is taken
// by a send when no store primes it, every receive from it discards the
// value outside a select, and some function receives from it after it
// sends on it: the Unlock after the Lock.
func (e *engine) tokens() map[string]tokenDir {
	if e.tokenClasses != nil {
		return e.tokenClasses
	}
	e.tokenClasses = map[string]tokenDir{}
	idx := e.chanIndex()
	bad := map[string]bool{}
	primed := map[string]bool{}
	empty := map[string]bool{}
	for _, s := range idx.stores {
		switch {
		case e.primedToken(s.st.Val, s.class):
			primed[s.class] = true
		case oneSlot(s.st.Val):
			empty[s.class] = true
		default:
			bad[s.class] = true
		}
	}
	used := map[string]bool{} // a receive keeps the value, or waits in a select
	for _, u := range idx.uses {
		switch {
		case u.kind == KindClose:
			bad[u.class] = true
		case u.kind == KindRecv && (u.kept || u.inSelect):
			used[u.class] = true
		}
	}
	for c := range primed {
		if !bad[c] && !empty[c] {
			e.tokenClasses[c] = takenByRecv
		}
	}
	if len(empty) == 0 {
		return e.tokenClasses
	}
	unlocked := unlockAfterLock(idx.uses)
	for c := range empty {
		if !bad[c] && !primed[c] && !used[c] && unlocked[c] {
			e.tokenClasses[c] = takenBySend
		}
	}
	return e.tokenClasses
}

// unlockAfterLock returns the channel classes that some function receives
// from, outside a select, after it sends on them (in a send or a select).
func unlockAfterLock(uses []chanUse) map[string]bool {
	type key struct {
		fn    *ssa.Function
		class string
	}
	sends := map[key][]ssa.Instruction{}
	for _, u := range uses {
		if u.kind == KindSend {
			k := key{u.instr.Parent(), u.class}
			sends[k] = append(sends[k], u.instr)
		}
	}
	out := map[string]bool{}
	for _, u := range uses {
		if u.kind != KindRecv || u.inSelect || out[u.class] {
			continue
		}
		r := u.instr
		for _, s := range sends[key{r.Parent(), u.class}] {
			if s.Block() == r.Block() && before(s, r) || reachable(s.Block(), r.Block(), nil) {
				out[u.class] = true
				break
			}
		}
	}
	return out
}

// oneSlot reports whether v is a channel made with capacity 1.
func oneSlot(v ssa.Value) bool {
	mc, ok := v.(*ssa.MakeChan)
	if !ok {
		return false
	}
	n, ok := chanCap(mc)
	return ok && n == 1
}

// primedToken reports whether v is a channel made in its function with
// capacity 1 and sent on exactly once there (directly, or through the
// variable or field of class it is stored in), outside loops.
func (e *engine) primedToken(v ssa.Value, class string) bool {
	if !oneSlot(v) {
		return false
	}
	mc := v.(*ssa.MakeChan)
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

// tokenPlace returns the place of ch when it is a token channel, and
// which operation takes the token.
func (w *walker) tokenPlace(ch ssa.Value) (place, tokenDir, bool) {
	if len(w.e.tokens()) == 0 {
		return place{}, 0, false // most packages: no second chanPlace per operation
	}
	p := w.e.chanPlace(ch, 0)
	if p.class == "" {
		return p, 0, false
	}
	dir, ok := w.e.tokens()[p.class]
	return p, dir, ok
}

// takeToken records the operation that takes a token: a lock
// acquisition.
func (w *walker) takeToken(p place, pos token.Pos, held heldSet) heldSet {
	op := w.opAt(KindToken, "take "+p.short, p, pos)
	op.ByValue = false
	w.emitLock(op, held)
	return held.with(heldLock{key: p.key, op: op, at: pos})
}

// giveToken records the operation that gives a token back.
func (w *walker) giveToken(p place, held heldSet) heldSet {
	out, ok := held.without(p.key, p.class)
	if !ok && w.record && !w.region {
		w.sum.releases.add(Op{Kind: KindToken, What: "take " + p.short, Class: p.class, Param: p.param})
	}
	return out
}
