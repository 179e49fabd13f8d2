package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A token channel is a buffered channel used as a lock: a one-slot mutex,
// or an N-slot counting semaphore.
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
// or a semaphore filled with N tokens where it is made:
//
//	dios = make(chan struct{}, n)
//	for i := 0; i < n; i++ {
//		dios <- struct{}{}
//	}
//	...
//	<-dios // take a token: wait while all n are out
//	dios <- struct{}{} // give it back: never waits
//
// An empty channel is a lock the other way round:
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

// tokenClasses returns the package's token channel classes: a variable or
// field that every store fills with a channel made with a buffer, and
// that no code of the package closes nor ranges over. The channel is taken
// by a receive when every store primes it: the function that makes it
// sends on it (once, or in a loop for a semaphore). It is taken by a send
// when no store primes it, every receive from it discards the value
// outside a select, and some function receives from it after it sends on
// it: the Unlock after the Lock.
func (e *engine) tokenClasses() map[string]tokenDir {
	if e.tokens != nil {
		return e.tokens
	}
	e.tokens = map[string]tokenDir{}
	idx := e.chanIndex()
	bad := map[string]bool{}
	primed := map[string]bool{}
	empty := map[string]bool{}
	wide := map[string]bool{} // some store is not a one-slot channel: a semaphore
	for _, s := range idx.stores {
		if !oneSlot(s.st.Val) {
			wide[s.class] = true
		}
		switch {
		case e.primedToken(s.st.Val, s.class):
			primed[s.class] = true
		case semaphore(s.st.Val):
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
			if r, ok := u.instr.(*ssa.UnOp); ok && r.CommaOk {
				bad[u.class] = true // a range loop: a queue
			}
		}
	}
	for c := range primed {
		if !bad[c] && !empty[c] && (!wide[c] || e.balanced(c, KindRecv, KindSend)) {
			e.tokens[c] = takenByRecv
		}
	}
	if len(empty) == 0 {
		return e.tokens
	}
	unlocked := unlockAfterLock(idx.uses)
	for c := range empty {
		if !bad[c] && !primed[c] && !used[c] && unlocked[c] && (!wide[c] || e.balanced(c, KindSend, KindRecv)) {
			e.tokens[c] = takenBySend
		}
	}
	return e.tokens
}

// balanced reports whether every function that takes a token of class
// (an operation of kind take) gives one back (kind give) after it, itself
// or in a function it defers or calls: the semaphore limits how many run
// a section at once. A semaphore whose tokens are handed out to callers
// (a pool of connections that checkout takes and the callers give back
// when they like) is no lock: a take waits for some holder to give one
// back, which nothing guarantees.
func (e *engine) balanced(class string, take, give Kind) bool {
	gives := map[*ssa.Function][]ssa.Instruction{}
	givers := map[*ssa.Function]bool{}
	for _, u := range e.chanIndex().uses {
		if u.class != class || u.kind != give {
			continue
		}
		// A give in a closure counts where the closure is called or
		// deferred.
		f, at := u.instr.Parent(), u.instr
		for f.Parent() != nil && e.closures[f] != nil {
			site := closureCall(e.closures[f])
			if site == nil {
				break
			}
			f, at = site.Parent(), site
		}
		gives[f] = append(gives[f], at)
		givers[f] = true
	}
	// A call of a function that gives one back (a release helper) gives
	// one back.
	for f := range givers {
		for _, c := range e.callers[f] {
			gives[c.Parent()] = append(gives[c.Parent()], c)
		}
	}
	after := func(at ssa.Instruction) bool {
		for _, g := range gives[at.Parent()] {
			if _, deferred := g.(*ssa.Defer); deferred || g.Block() == at.Block() && before(at, g) ||
				g.Block() != at.Block() && reachable(at.Block(), g.Block(), nil) {
				return true
			}
		}
		return false
	}
	for _, u := range e.chanIndex().uses {
		if u.class != class || u.kind != take || after(u.instr) {
			continue
		}
		// An acquire helper: every caller gives one back after calling
		// it, and no other package can call it.
		f := u.instr.Parent()
		if obj, ok := f.Object().(*types.Func); (ok && obj.Exported()) || len(e.callers[f]) == 0 {
			return false
		}
		for _, c := range e.callers[f] {
			if !after(c) {
				return false
			}
		}
	}
	return true
}

// closureCall returns the one call or defer of the closure mc, or nil.
func closureCall(mc *ssa.MakeClosure) ssa.Instruction {
	refs := mc.Referrers()
	if refs == nil || len(*refs) != 1 {
		return nil
	}
	c, ok := (*refs)[0].(ssa.CallInstruction)
	if !ok || c.Common().Value != ssa.Value(mc) {
		return nil
	}
	if _, isGo := c.(*ssa.Go); isGo {
		return nil
	}
	return c
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

// semaphore reports whether v is a channel made with a buffer: a
// constant capacity of at least 1, or a capacity computed at run time.
func semaphore(v ssa.Value) bool {
	mc, ok := v.(*ssa.MakeChan)
	if !ok {
		return false
	}
	n, ok := chanCap(mc)
	return !ok || n >= 1
}

// primedToken reports whether v is a channel made in its function with a
// buffer and sent on there (directly, or through the variable or field of
// class it is stored in): once for a one-slot channel, once or in a loop
// for a semaphore.
func (e *engine) primedToken(v ssa.Value, class string) bool {
	if !semaphore(v) {
		return false
	}
	mc := v.(*ssa.MakeChan)
	n, constant := chanCap(mc)
	sends := 0
	for _, b := range mc.Parent().Blocks {
		for _, instr := range b.Instrs {
			s, ok := instr.(*ssa.Send)
			if !ok || (s.Chan != ssa.Value(mc) && e.chanPlace(s.Chan, 0).class != class) {
				continue
			}
			if e.inLoop(b) {
				sends = many
			} else {
				sends++
			}
		}
	}
	if constant && n == 1 {
		return sends == 1
	}
	return sends >= 1
}

// tokenPlace returns the place of ch when it is a token channel, and
// which operation takes the token.
func (w *walker) tokenPlace(ch ssa.Value) (place, tokenDir, bool) {
	if len(w.e.tokenClasses()) == 0 {
		return place{}, 0, false // most packages: no second chanPlace per operation
	}
	p := w.e.chanPlace(ch, 0)
	if p.class == "" {
		return p, 0, false
	}
	dir, ok := w.e.tokenClasses()[p.class]
	return p, dir, ok
}

// takeToken records the operation that takes a token: a lock
// acquisition.
func (w *walker) takeToken(p place, pos token.Pos, held heldSet) heldSet {
	op := w.opAt(KindToken, p, pos)
	op.ByValue = false
	w.emitLock(op, held, nil)
	return held.with(heldLock{key: p.key, op: op, at: pos})
}

// giveToken records the operation that gives a token back.
func (w *walker) giveToken(p place, held heldSet) heldSet {
	out, ok := held.without(p.key, p.class)
	if !ok && w.record && !w.region() {
		w.sum.releases.add(Op{Kind: KindToken, Name: p.short, Class: p.class, Param: p.param})
	}
	return out
}
