package analyzer

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file is finalock's progress model: for every wait it decides what
// ends it, and records the wait only when nothing bounded does.
//
//   - time: a receive from time.After, a Timer's or Ticker's C, the Done
//     channel of a context with a deadline, time.Sleep: never a wait.
//   - a token the waiter holds: giving back the token of a channel used as
//     a lock (token.go): never a wait; taking it is a lock.
//   - a buffer with room: a send on a channel that gets at most its
//     capacity of values (room.go): never a wait.
//   - goroutines this code starts: a receive whose partner is a goroutine
//     of the package that sends or closes on every path, a send whose
//     partner is a goroutine that receives on every path, a WaitGroup.Wait
//     whose goroutines all call Done: the wait lasts as long as what the
//     goroutine does first (its prefix), less what the waiter already fed
//     it (fed.go). It inherits the goroutine's judgment.
//   - a partner that is merely possible: no goroutine of this code is bound
//     to answer (a loop run on another goroutine, another component): a
//     wait that can last forever (EndPartner).
//   - the outside world: network I/O, child processes, with no deadline in
//     sight (world.go): a wait that can last forever (EndWorld).
//   - nothing: select {}, a nil channel (EndNever).

// A verdict is the judgment of one wait.
type verdict struct {
	end    End     // the wait can last forever by itself, for this reason
	site   *goSite // the goroutine it waits for, if any
	wait   Kind    // what that goroutine must do: KindRecv, KindSend or KindDone
	class  string  // on which channel or WaitGroup
	buffer bool    // a send that waits for it only while a buffer is full
	joined []Op    // what that goroutine may first wait for, forever
	locks  []Op    // and the locks it takes first

	// For a WaitGroup, which waits for several goroutines: the goroutine
	// each of joined and locks comes from.
	joinedSites, lockSites []*goSite
}

// bounded reports whether the wait always ends.
func (v verdict) bounded() bool { return v.end == 0 && len(v.joined) == 0 }

// The kinds of operation that end a wait of each kind.
var (
	endsRecv  = []Kind{KindSend, KindClose}
	endsRange = []Kind{KindClose} // a range loop ends only when the channel is closed
	endsSend  = []Kind{KindRecv}
	endsWait  = []Kind{KindDone}
)

// judge decides a wait of kind (KindRecv, KindSend, or KindWait for a
// WaitGroup) on class, made by fn at instruction at. A wait on a class
// nobody names is a partner that is merely possible.
func (e *engine) judge(fn *ssa.Function, at ssa.Instruction, kind Kind, class string) verdict {
	return e.judgeEnds(fn, at, kind, class, nil)
}

// judgeEnds is judge with the kinds of operation that end the wait given
// (nil: those that end any wait of kind).
func (e *engine) judgeEnds(fn *ssa.Function, at ssa.Instruction, kind Kind, class string, ends []Kind) verdict {
	// A judgment that read the summary of a function not analysed yet
	// (the first round of a recursive cycle) finds no partner, or no
	// end, for want of it: it is bounded until a later round has that
	// summary. A wait is recorded only on evidence, and the rounds of
	// the cycle then only add waits.
	outer := e.unknown
	e.unknown = false
	v := e.judgeEvidence(fn, at, kind, class, ends)
	if e.unknown {
		v.end, v.joined, v.joinedSites = 0, nil, nil
	}
	e.unknown = e.unknown || outer
	return v
}

// judgeEvidence is judgeEnds on the summaries there are.
func (e *engine) judgeEvidence(fn *ssa.Function, at ssa.Instruction, kind Kind, class string, ends []Kind) verdict {
	if class == "" {
		return verdict{end: EndPartner}
	}
	all := false
	wait := KindSend
	switch kind {
	case KindRecv:
		if ends == nil {
			ends = endsRecv
		}
	case KindSend:
		if e.room(class) || e.requested(fn, class) {
			return verdict{}
		}
		ends, wait = endsSend, KindRecv
	case KindCond:
		// A Cond.Wait ends with one Signal or Broadcast.
		ends, wait = endsWait, KindCond
	default:
		ends, all, wait = endsWait, true, KindDone
		if e.privateClass(class) && !e.wgAdded(class) {
			return verdict{} // nothing adds to it: Wait returns at once
		}
	}
	ps := e.partners(class, ends...)
	fed := e.fedBefore(fn, at, true)
	var sure []partner
	answered := map[*goSite][]string{}
	for _, p := range ps {
		if p.must {
			sure = append(sure, p)
			continue
		}
		// A service goroutine answers every request it takes: a partner
		// for a waiter that has fed it a request first, or, for a
		// WaitGroup, that counts the requests it takes.
		if reqs := e.answers(p.site, class, ends, fed, all || kind == KindCond); len(reqs) > 0 {
			sure = append(sure, p)
			answered[p.site] = reqs
			continue
		}
		if all {
			return verdict{end: EndPartner} // one goroutine may never call Done
		}
	}
	if len(sure) == 0 {
		return verdict{end: EndPartner}
	}
	buffer := kind == KindSend && e.mayBuffer(class)
	var best verdict
	found := false
	for _, p := range sure {
		pre, ok := e.prefix(p.site, class, ends)
		if !ok {
			if all {
				return verdict{end: EndPartner}
			}
			continue
		}
		v := verdict{site: p.site, buffer: buffer, wait: wait, class: class}
		for _, op := range pre {
			switch {
			case op.Kind.IsLock() && endedBy(op, fed):
				// A lock taken by what the waiter closed or fed first.
			case op.Kind.IsLock():
				v.locks = append(v.locks, op)
			case op.Class == class && partnersOf(kind, op.Kind), waitsFor(op, kind, class):
				// The waiter is this operation's partner.
			case endedBy(op, fed):
				// The waiter closed or fed its channel first.
			case op.Kind == KindRecv && slices.Contains(answered[p.site], op.Class):
				// The receive of a request that was sent.
			default:
				v.joined = append(v.joined, op)
			}
		}
		if all {
			// A WaitGroup waits for every goroutine.
			best.site, best.wait, best.class, found = p.site, wait, class, true
			best.joined = append(best.joined, v.joined...)
			best.locks = append(best.locks, v.locks...)
			for range v.joined {
				best.joinedSites = append(best.joinedSites, p.site)
			}
			for range v.locks {
				best.lockSites = append(best.lockSites, p.site)
			}
			continue
		}
		if !found || len(v.joined) < len(best.joined) || (len(v.joined) == len(best.joined) && len(v.locks) < len(best.locks)) {
			best, found = v, true
		}
	}
	if !found {
		return verdict{end: EndPartner}
	}
	return best
}

// wgAdded reports whether the package calls Add or Go on a WaitGroup of
// class.
func (e *engine) wgAdded(class string) bool {
	if e.wgAdds == nil {
		e.wgAdds = map[string]bool{}
		for _, fn := range e.funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					c, ok := instr.(ssa.CallInstruction)
					if !ok {
						continue
					}
					obj := funcObject(c.Common().StaticCallee())
					if obj == nil || len(c.Common().Args) == 0 {
						continue
					}
					if n := e.fullName(obj); n == wgGo || n == "(*sync.WaitGroup).Add" {
						e.wgAdds[e.addrPlace(c.Common().Args[0], 0).class] = true
					}
				}
			}
		}
	}
	return e.wgAdds[class]
}

// mayBuffer reports whether a channel of class may have a buffer: some
// make of it in the package has a capacity that is not the constant 0, or
// none is in sight.
func (e *engine) mayBuffer(class string) bool {
	if e.buffered == nil {
		e.buffered = map[string]bool{}
		for _, fn := range e.funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if mc, ok := instr.(*ssa.MakeChan); ok {
						c := e.chanPlace(mc, 0).class
						n, ok := chanCap(mc)
						e.buffered[c] = e.buffered[c] || !ok || n != 0
						if ok && n == 0 {
							if e.unbuffered == nil {
								e.unbuffered = map[string]bool{}
							}
							e.unbuffered[c] = true
						}
					}
				}
			}
		}
	}
	b, seen := e.buffered[class]
	return b || !seen
}

// requested reports whether a send on class by fn, a service goroutine,
// answers a requester that waits for it: every receive from class in the
// package is a plain receive made after a send (on every path) on a
// channel that fn takes requests from. The requester waits for its
// answer, so the answer has its partner.
//
//	func (l *Loop) Do(fn func()) { l.reqs <- fn; <-l.reply }
//	func (l *Loop) run() { for fn := range l.reqs { fn(); l.reply <- struct{}{} } }
func (e *engine) requested(fn *ssa.Function, class string) bool {
	var takes []string // what fn takes requests from
	found := false
	for _, u := range e.chanIndex().uses {
		if u.kind == KindRecv && u.instr.Parent() == fn && u.class != class {
			takes = append(takes, u.class)
		}
	}
	if len(takes) == 0 {
		return false
	}
	for _, u := range e.chanIndex().uses {
		if u.class != class || u.kind != KindRecv {
			continue
		}
		if u.inSelect {
			return false // the requester may give up waiting
		}
		fed := e.fedBefore(u.instr.Parent(), u.instr, true)
		if !slices.ContainsFunc(fed, func(c string) bool { return slices.Contains(takes, c) }) {
			return false
		}
		found = true
	}
	return found
}

// waitsFor reports whether op is a wait of a goroutine for some goroutine
// to perform an operation of kind on class: the waiter performs it.
func waitsFor(op Op, kind Kind, class string) bool {
	for _, h := range op.Chain {
		if h.Join {
			return h.Class == class && h.Wait == kind
		}
	}
	return false
}

// madeBuffered reports whether the package makes the channels of class,
// each with a buffer.
func (e *engine) madeBuffered(class string) bool {
	e.mayBuffer(class) // builds the index
	b, seen := e.buffered[class]
	if !seen || !b {
		return false
	}
	return !e.unbuffered[class]
}

// partnersOf reports whether an operation of kind b is the partner of a
// wait of kind a on the same channel.
func partnersOf(a, b Kind) bool {
	switch a {
	case KindRecv:
		return b == KindSend
	case KindSend:
		return b == KindRecv
	}
	return false
}

// apply records a verdict on a wait op (its chain ends at the wait) under
// the held locks: the wait itself, or what it inherits from the goroutine
// it joins, whose hop replaces the wait's own last hop.
func (w *walker) apply(v verdict, op Op, held heldSet, except func(heldLock) bool) {
	if !w.record {
		return // it only emits: no witness to build yet
	}
	if v.end != 0 {
		op.End = v.end
		w.emitWait(op, held, except)
		return
	}
	if v.site == nil || len(op.Chain) == 0 {
		return
	}
	// The join hop replaces the wait's own last hop, naming the goroutine
	// each inherited operation comes from.
	via := func(site *goSite, chain []Hop) []Hop {
		head := append([]Hop(nil), op.Chain[:len(op.Chain)-1]...)
		h := op.Chain[len(op.Chain)-1]
		h.Func, h.Join, h.Buffer, h.Wait, h.Class = w.e.goName(site), true, v.buffer, v.wait, v.class
		if v.wait == KindCond && op.Kind == KindWait {
			h.Releases = op.Class
		}
		return concat(append(head, h), chain)
	}
	siteOf := func(sites []*goSite, i int) *goSite {
		if i < len(sites) {
			return sites[i]
		}
		return v.site
	}
	for i, l := range v.locks {
		l.Chain = via(siteOf(v.lockSites, i), l.Chain)
		l.Ends = inherit(l.Ends, op.Ends)
		w.emitLock(l, held, except)
	}
	for i, j := range v.joined {
		j.Chain = via(siteOf(v.joinedSites, i), j.Chain)
		j.Ends = inherit(j.Ends, op.Ends)
		w.emitWait(j, held, except)
	}
}

// inherit returns the Ends of a wait inherited by a wait whose own Ends
// are outer: a waiter that closes one of those ends the outer wait, and
// with it what that wait waits for.
func inherit(ends, outer []string) []string {
	if len(outer) == 0 {
		return ends
	}
	out := slices.Clone(ends)
	for _, c := range outer {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// applyHolder applies the verdict on a wait on a channel, WaitGroup or
// Cond at place p. When an object that a parameter points to holds it by
// value, a finalizer of that object judges the wait apart: the goroutines
// that reach the object are gone once it is unreachable, so what the wait
// inherits from them is marked with the Holder, and what they leave
// behind decides, in an EndAlone twin, whether the wait can last forever
// there.
func (w *walker) applyHolder(v verdict, op Op, p place, kind Kind, held heldSet, except func(heldLock) bool) {
	if p.param < 0 || !p.byValue || p.class == "" {
		w.apply(v, op, held, except)
		return
	}
	h := p.param + 1
	for i := range v.joined {
		v.joined[i].Holder = h
	}
	for i := range v.locks {
		v.locks[i].Holder = h
	}
	w.apply(v, op, held, except)
	if v.end == 0 && !w.e.persists(kind, p.class) {
		alone := op
		alone.End, alone.Holder = EndAlone, h
		w.emitWait(alone, held, except)
	}
}

// persists reports whether goroutines that have finished leave behind
// what ends a wait of kind on class: a close, or a value in a buffer, for
// a receive; every Done, for a WaitGroup; a buffer, for a send (its
// receivers are gone, and with them what filled it).
func (e *engine) persists(kind Kind, class string) bool {
	switch kind {
	case KindRecv:
		for _, p := range e.partners(class, KindClose) {
			if p.must {
				return true
			}
		}
		if e.madeBuffered(class) {
			for _, p := range e.partners(class, KindSend) {
				if p.must {
					return true
				}
			}
		}
	case KindSend:
		return e.room(class) || e.madeBuffered(class)
	case KindWait:
		ps := e.partners(class, KindDone)
		for _, p := range ps {
			if !p.must {
				return false
			}
		}
		return len(ps) > 0 || (e.privateClass(class) && !e.wgAdded(class))
	}
	return false
}

// recv handles a receive from ch outside a select.
func (w *walker) recv(r *ssa.UnOp, held heldSet) heldSet {
	if p, dir, ok := w.tokenPlace(r.X); ok && !r.CommaOk {
		if dir == takenBySend {
			return w.giveToken(p, held)
		}
		return w.takeToken(p, r.Pos(), held)
	}
	if p, ok := w.waiterPlace(r.X); ok {
		return w.takeToken(p, r.Pos(), held)
	}
	p := w.e.chanPlace(r.X, 0)
	op := w.opAt(KindRecv, p, r.Pos())
	w.emitChan(op, r.Block(), true)
	if w.e.boundedChan(r.X) {
		return held
	}
	op.Ends = ends(p.class)
	if nilChan(r.X) {
		w.apply(verdict{end: EndNever}, op, held, nil)
		return held
	}
	if w.e.madeBuffered(p.class) && w.sentFirst(r, p.class) {
		return held // its own value waits in the buffer
	}
	var ends []Kind
	if r.CommaOk && w.e.inLoop(r.Block()) {
		ends = endsRange
	}
	w.applyHolder(w.e.judgeEnds(w.fn, r, KindRecv, p.class, ends), op, p, KindRecv, held, nil)
	return held
}

// send handles a send on ch outside a select.
func (w *walker) send(s *ssa.Send, held heldSet) heldSet {
	if p, dir, ok := w.tokenPlace(s.Chan); ok {
		if dir == takenBySend {
			return w.takeToken(p, s.Pos(), held)
		}
		return w.giveToken(p, held)
	}
	if p, ok := w.waiterRelease(s.Chan); ok {
		return w.giveToken(p, held) // waking a semaphore's waiter
	}
	p := w.e.chanPlace(s.Chan, 0)
	op := w.opAt(KindSend, p, s.Pos())
	w.emitChan(op, s.Block(), true)
	if nilChan(s.Chan) {
		w.apply(verdict{end: EndNever}, op, held, nil)
		return held
	}
	if w.e.replyElem(s.Chan) || w.e.pooledRoom(s) || freshRoom(s) {
		return held
	}
	w.applyHolder(w.e.judge(w.fn, s, KindSend, p.class), op, p, KindSend, held, nil)
	return held
}

// ends returns the Ends of a receive from class: its close ends it.
func ends(class string) []string {
	if class == "" {
		return nil
	}
	return []string{class}
}

// selectOp handles a select. A select without default waits until one of
// its cases can proceed: it always ends when one case does (a timer, room
// in a buffer, a goroutine that answers and finishes), and can last
// forever only when every case can.
func (w *walker) selectOp(s *ssa.Select, held heldSet) {
	places := make([]place, len(s.States))
	var quit []string
	for i, st := range s.States {
		places[i] = w.e.chanPlace(st.Chan, 0)
		kind := KindRecv
		if st.Dir == types.SendOnly {
			kind = KindSend
		}
		op := w.opAt(kind, places[i], st.Pos)
		op.Select = true
		// The case happens when its body runs, if only the case leads there.
		body := selectCase(s, i)
		if body != nil && len(body.Preds) != 1 {
			body = nil
		}
		w.emitChan(op, body, body != nil)
		if c := places[i].class; kind == KindRecv && c != "" && !slices.Contains(quit, c) {
			quit = append(quit, c)
		}
	}
	if !s.Blocking {
		if len(s.States) == 1 && s.States[0].Dir == types.SendOnly {
			// An offer: on a buffered channel it leaves a value in the
			// buffer, its own or one that filled it.
			op := w.opAt(KindOffer, places[0], s.States[0].Pos)
			w.emitChan(op, s.Block(), true)
		}
		return
	}
	if len(s.States) == 0 {
		op := w.opAt(KindWait, place{param: -1}, s.Pos())
		op.Name = "select {}"
		w.apply(verdict{end: EndNever}, op, held, nil)
		return
	}
	for _, st := range s.States {
		if p, ok := w.waiterPlace(st.Chan); ok && st.Dir == types.RecvOnly {
			w.takeToken(p, st.Pos, held) // a semaphore's waiter: a lock, not a wait
			return
		}
	}
	slices.Sort(quit)
	verdicts := make([]verdict, len(s.States))
	var best *verdict
	for i, st := range s.States {
		switch {
		case st.Dir == types.RecvOnly && w.e.boundedChan(st.Chan):
			return // a timer ends it
		case nilChan(st.Chan):
			verdicts[i] = verdict{end: EndNever}
		case st.Dir == types.SendOnly && w.e.replyElem(st.Chan):
			return // room for the one answer
		case st.Dir == types.SendOnly:
			verdicts[i] = w.e.judge(w.fn, s, KindSend, places[i].class)
		default:
			verdicts[i] = w.e.judge(w.fn, s, KindRecv, places[i].class)
		}
		v := &verdicts[i]
		if v.bounded() {
			// Still emit what the goroutine it waits for locks.
			w.apply(*v, Op{Chain: []Hop{w.e.at(st.Pos)}}, held, nil)
			w.selectAlone(s, places, quit, held)
			return
		}
		if v.end == 0 && (best == nil || len(v.joined) < len(best.joined)) {
			best = v
		}
	}
	if best != nil {
		w.apply(*best, Op{Chain: []Hop{w.e.at(s.Pos())}, Ends: quit}, held, nil)
		w.selectAlone(s, places, quit, held)
		return
	}
	for i, st := range s.States {
		kind := KindRecv
		if st.Dir == types.SendOnly {
			kind = KindSend
		}
		op := w.opAt(kind, places[i], st.Pos)
		op.Select, op.Ends = true, quit
		w.apply(verdicts[i], op, held, nil)
	}
}

// selectAlone emits the EndAlone twins of a select whose cases are
// channels held by value in objects its parameters point to, when none of
// them persists: in a finalizer of those objects, nothing ends it.
func (w *walker) selectAlone(s *ssa.Select, places []place, quit []string, held heldSet) {
	holder := 0
	for i, st := range s.States {
		p := places[i]
		if p.param < 0 || !p.byValue || p.class == "" {
			return
		}
		kind := KindRecv
		if st.Dir == types.SendOnly {
			kind = KindSend
		}
		if w.e.persists(kind, p.class) {
			return
		}
		holder = p.param + 1
	}
	for i, st := range s.States {
		kind := KindRecv
		if st.Dir == types.SendOnly {
			kind = KindSend
		}
		op := w.opAt(kind, places[i], st.Pos)
		op.Select, op.Ends, op.End, op.Holder = true, quit, EndAlone, holder
		w.emitWait(op, held, nil)
	}
}

// nilChan reports whether the channel value v is nil on some path: the
// nil constant, or a φ-node with a nil edge.
func nilChan(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.Const:
		return x.IsNil()
	case *ssa.Phi:
		for _, e := range x.Edges {
			if c, ok := e.(*ssa.Const); ok && c.IsNil() {
				return true
			}
		}
	case *ssa.ChangeType:
		return nilChan(x.X)
	}
	return false
}

// boundedChan reports whether receiving from ch waits a bounded time: a
// channel from time.After or time.Tick, a Timer's or Ticker's C, or the
// Done channel of a context made with a timeout or deadline.
func (e *engine) boundedChan(ch ssa.Value) bool {
	switch v := ch.(type) {
	case *ssa.Call:
		if obj := funcObject(v.Call.StaticCallee()); obj != nil {
			n := obj.FullName()
			return n == "time.After" || n == "time.Tick"
		}
		if v.Call.IsInvoke() && v.Call.Method.Name() == "Done" {
			return e.deadlineContext(v.Call.Value, 0)
		}
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			if _, named := structOf(fa.X.Type()); named != nil && named.Obj().Pkg() != nil &&
				named.Obj().Pkg().Path() == "time" && (named.Obj().Name() == "Timer" || named.Obj().Name() == "Ticker") {
				return true
			}
		}
	case *ssa.ChangeType:
		return e.boundedChan(v.X)
	}
	return false
}

// deadlineContext reports whether the context value ctx is done after a
// bounded time: made by context.WithTimeout or WithDeadline (in sight, or
// passed in by every caller of an unexported function whose parameter it
// is, or captured by a closure from such a value).
func (e *engine) deadlineContext(ctx ssa.Value, depth int) bool {
	if depth > maxPlaceDepth {
		return false
	}
	switch x := ctx.(type) {
	case *ssa.Extract:
		if c, ok := x.Tuple.(*ssa.Call); ok && x.Index == 0 {
			if obj := funcObject(c.Call.StaticCallee()); obj != nil {
				return deadlineContexts[obj.FullName()]
			}
		}
	case *ssa.MakeInterface:
		return e.deadlineContext(x.X, depth+1)
	case *ssa.ChangeInterface:
		return e.deadlineContext(x.X, depth+1)
	case *ssa.Parameter:
		fn := x.Parent()
		i := paramIndex(x)
		if obj, ok := fn.Object().(*types.Func); i < 0 || !ok || obj.Exported() || len(e.callers[fn]) == 0 || e.addressTaken(fn) {
			return false
		}
		for _, c := range e.callers[fn] {
			args := callArgs(c.Common())
			if i >= len(args) || !e.deadlineContext(args[i], depth+1) {
				return false
			}
		}
		return true
	case *ssa.FreeVar:
		mc := e.closures[x.Parent()]
		if mc == nil {
			return false
		}
		for i, f := range x.Parent().FreeVars {
			if f == x && i < len(mc.Bindings) {
				return e.deadlineContext(mc.Bindings[i], depth+1)
			}
		}
	}
	return false
}
