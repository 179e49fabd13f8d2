package analyzer

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// A walker computes the effects of one function (or of the region of a
// function that follows a signal receive) over its SSA form, tracking
// which locks are certainly held at each instruction.
type walker struct {
	e      *engine
	fn     *ssa.Function
	sum    *sumBuilder
	record bool // second pass: emit effects
	tables bool // also fill the package's held-across and section tables
	region bool // a signal-handler region: effects only, no held locks

	deferredKeys    map[string]bool
	deferredClasses map[string]bool
	retHeld         heldSet
	retSeen         bool
	directAlloc     bool       // the summary has an allocation made by fn itself
	marks           *bool      // fn marks descriptors close-on-exec (computed once)
	deferredLocks   []heldLock // locks taken by deferred calls, held at return
}

// maxInstrs bounds the size of a function finalock analyses; larger ones
// (generated tables, mostly) get an empty summary and a verbose note.
const maxInstrs = 60000

// analyzeFunc computes the Summary of fn from the summaries of its callees.
// With tables set it also records fn's critical sections.
func (e *engine) analyzeFunc(fn *ssa.Function, tables bool) *Summary {
	w := &walker{e: e, fn: fn, sum: newSumBuilder(), tables: tables,
		deferredKeys: map[string]bool{}, deferredClasses: map[string]bool{}}
	if len(fn.Blocks) == 0 {
		return w.sum.summary()
	}
	n := 0
	for _, b := range fn.Blocks {
		n += len(b.Instrs)
	}
	if n > maxInstrs {
		e.note("%s: skipped, %d SSA instructions (limit %d)", funcPath(fn), n, maxInstrs)
		return w.sum.summary()
	}

	// Must-held sets at block entry: intersection over the predecessors.
	in := make([]heldSet, len(fn.Blocks))
	reached := make([]bool, len(fn.Blocks))
	work := []int{0}
	in[0], reached[0] = heldSet{}, true
	if fn.Recover != nil {
		in[fn.Recover.Index], reached[fn.Recover.Index] = heldSet{}, true
		work = append(work, fn.Recover.Index)
	}
	for steps := 0; len(work) > 0 && steps < 8*len(fn.Blocks)+8; steps++ {
		b := fn.Blocks[work[0]]
		work = work[1:]
		out := w.block(b, in[b.Index])
		for _, s := range b.Succs {
			switch {
			case !reached[s.Index]:
				in[s.Index], reached[s.Index] = out, true
				work = append(work, s.Index)
			default:
				if m := meet(in[s.Index], out); !sameHeld(m, in[s.Index]) {
					in[s.Index] = m
					work = append(work, s.Index)
				}
			}
		}
	}

	w.record = true
	for _, b := range fn.Blocks {
		if reached[b.Index] {
			w.block(b, in[b.Index])
		}
	}
	for _, h := range w.retHeld {
		if h.op.Class != "" || h.op.Param >= 0 {
			w.sum.holds.add(h.op)
		}
	}
	return w.sum.summary()
}

// analyzeRegion returns the effects of the instructions of fn reachable
// from instruction start of block b (inclusive), in a root's context. The
// region ends where control comes back to recv, the block of the receive
// that starts it: from there on the function waits for the next signal,
// and what it does then (another case of a select in a loop) is not the
// handler.
func (e *engine) analyzeRegion(fn *ssa.Function, recv, b *ssa.BasicBlock, start int) *Summary {
	w := &walker{e: e, fn: fn, sum: newSumBuilder(), record: true, region: true,
		deferredKeys: map[string]bool{}, deferredClasses: map[string]bool{}}
	seen := make([]bool, len(fn.Blocks))
	seen[recv.Index] = true
	for _, instr := range b.Instrs[start:] {
		w.instr(instr, heldSet{})
	}
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[0]
		work = work[1:]
		if seen[x.Index] {
			continue
		}
		seen[x.Index] = true
		w.block(x, heldSet{})
		work = append(work, x.Succs...)
	}
	return w.sum.summary()
}

func (w *walker) block(b *ssa.BasicBlock, held heldSet) heldSet {
	for _, instr := range b.Instrs {
		held = w.instr(instr, held)
	}
	return held
}

func (w *walker) instr(instr ssa.Instruction, held heldSet) heldSet {
	switch i := instr.(type) {
	case *ssa.Go:
		w.goStmt(i)
	case *ssa.Defer:
		if w.deferredUnlock(i) || w.deferredLock(i, held) {
			return held
		}
		return w.call(i, held)
	case *ssa.Call:
		return w.call(i, held)
	case *ssa.UnOp:
		if f := w.e.futures[i]; f != nil {
			w.joinFuture(f, i, held)
		} else if j := w.e.joins[i]; j != nil {
			w.joinStop(j, i, held)
		} else if i.Op == token.ARROW {
			if p, dir, ok := w.tokenPlace(i.X); ok && !i.CommaOk {
				if dir == takenBySend {
					return w.giveToken(p, held)
				}
				return w.takeToken(p, i.Pos(), held)
			}
			w.chanOp(KindRecv, i.X, i.Pos(), held)
		}
	case *ssa.Send:
		if p, dir, ok := w.tokenPlace(i.Chan); ok {
			if dir == takenBySend {
				return w.takeToken(p, i.Pos(), held)
			}
			return w.giveToken(p, held)
		}
		if !w.e.futureSend[i] {
			w.chanOp(KindSend, i.Chan, i.Pos(), held)
		}
	case *ssa.Select:
		w.selectOp(i, held)
	case *ssa.Return:
		w.ret(held)
	default:
		// Naming an allocation costs a type string: do it only when it
		// is recorded, and once the summary has a direct allocation
		// (none is shorter) only for critical sections.
		if w.record && (!w.directAlloc || (w.tables && len(held) > 0)) {
			if what := allocation(instr, w.e.pkg); what != "" {
				w.emitAlloc(w.opAt(KindAlloc, what, place{param: -1}, instr.Pos()), held, instr.Pos())
			}
		}
	}
	return held
}

// opAt makes an Op performed directly by the function at pos.
func (w *walker) opAt(kind Kind, what string, p place, pos token.Pos) Op {
	return Op{Kind: kind, What: what, Class: p.class, Param: p.param, ByValue: p.byValue,
		Chain: []string{hop(what, w.e.posString(pos))}}
}

func (w *walker) emitLock(op Op, held heldSet) {
	if !w.record {
		return
	}
	w.sum.locks.add(op)
	w.heldAcross(held, op, nil)
}

func (w *walker) emitWait(op Op, held heldSet, except func(heldLock) bool) {
	if !w.record {
		return
	}
	w.sum.waits.add(op)
	w.heldAcross(held, op, except)
}

func (w *walker) emitChan(op Op) {
	if w.record && (op.Class != "" || op.Param >= 0) {
		w.sum.chans.add(op)
	}
}

func (w *walker) emitAlloc(op Op, held heldSet, pos token.Pos) {
	if !w.record {
		return
	}
	if !w.directAlloc {
		w.sum.alloc.add(op)
		w.directAlloc = len(op.Chain) == 1
	}
	if w.tables {
		for _, h := range held {
			if h.op.Kind != KindToken { // allocunderlock is about mutexes
				w.e.addSection(w.fn, h, op, pos)
			}
		}
	}
}

func (w *walker) emitGo(op Op) {
	if w.record {
		w.sum.gos.add(op)
	}
}

// heldAcross records, for every lock held, that op happens under it.
func (w *walker) heldAcross(held heldSet, op Op, except func(heldLock) bool) {
	if !w.tables {
		return
	}
	for _, h := range held {
		if h.op.Class == "" || (except != nil && except(h)) {
			continue
		}
		w.e.addHeld(Held{Class: h.op.Class, Op: op,
			Where: hop(displayName(w.fn, w.e.pkg), w.e.posString(h.at))})
	}
}

func (w *walker) goStmt(g *ssa.Go) {
	name := "func value"
	if fn := g.Call.StaticCallee(); fn != nil {
		name = displayName(fn, w.e.pkg)
	}
	w.emitGo(w.opAt(KindGo, "go "+name, place{param: -1}, g.Pos()))
}

// deferredUnlock records "defer mu.Unlock()": the lock stays held until
// the function returns.
func (w *walker) deferredUnlock(d *ssa.Defer) bool {
	for _, c := range w.e.callees(d) {
		if c.dynamic {
			continue
		}
		if obj := funcObject(c.fn); obj != nil && unlockCalls[w.e.fullName(obj)] && len(d.Call.Args) > 0 {
			p := w.e.addrPlace(d.Call.Args[0], 0)
			w.deferredKeys[p.key] = true
			if p.class != "" {
				w.deferredClasses[p.class] = true
			}
			return true
		}
		if s := w.e.summaryOf(c.fn); s != nil && len(s.Releases) > 0 && len(s.Locks) == 0 {
			for _, op := range s.Releases {
				if t, key, ok := w.translate(op, callArgs(&d.Call), true); ok {
					w.deferredKeys[key] = true
					if t.Class != "" {
						w.deferredClasses[t.Class] = true
					}
				}
			}
			return true
		}
	}
	return false
}

// deferredLock records "defer mu.Lock()" (a function that drops a lock
// its caller holds, waits, and takes it back as it returns): the lock is
// taken when the function returns, not at the defer statement, so it is
// not held across what follows.
func (w *walker) deferredLock(d *ssa.Defer, held heldSet) bool {
	fn := d.Call.StaticCallee()
	obj := funcObject(fn)
	if obj == nil || len(d.Call.Args) == 0 {
		return false
	}
	kind := lockCalls[w.e.fullName(obj)]
	if kind == 0 {
		return false
	}
	p := w.e.addrPlace(d.Call.Args[0], 0)
	if p.local {
		return true
	}
	op := w.opAt(kind, whatFor(kind, p.short), p, d.Pos())
	if p.class != "" || p.param >= 0 {
		w.emitLock(op, nil)
	}
	if w.record {
		w.deferredLocks = append(w.deferredLocks, heldLock{key: p.key, op: op, at: d.Pos()})
	}
	return true
}

func (w *walker) ret(held heldSet) {
	if !w.record || w.region {
		return
	}
	var h heldSet
	for _, x := range held {
		if !w.deferredKeys[x.key] && !(x.op.Class != "" && w.deferredClasses[x.op.Class]) {
			h = append(h, x)
		}
	}
	for _, x := range w.deferredLocks {
		h = h.with(x)
	}
	if !w.retSeen {
		w.retHeld, w.retSeen = h, true
	} else {
		w.retHeld = meet(w.retHeld, h)
	}
}

func (w *walker) chanOp(kind Kind, ch ssa.Value, pos token.Pos, held heldSet) {
	if kind == KindRecv && boundedChan(ch) {
		return
	}
	p := w.e.chanPlace(ch, 0)
	op := w.opAt(kind, whatFor(kind, p.short), p, pos)
	op.ByValue = false
	if kind.Waits() && !(kind == KindSend && w.replySend(ch, p)) {
		w.emitWait(op, held, nil)
	}
	w.emitChan(op)
}

func (w *walker) selectOp(s *ssa.Select, held heldSet) {
	bounded := false
	for _, st := range s.States {
		if st.Dir == types.RecvOnly && boundedChan(st.Chan) {
			bounded = true
		}
	}
	wait := s.Blocking && !bounded
	if wait && len(s.States) == 0 {
		w.emitWait(w.opAt(KindSelect, "select {}", place{param: -1}, s.Pos()), held, nil)
	}
	places := make([]place, len(s.States))
	var quit []string
	for i, st := range s.States {
		places[i] = w.e.chanPlace(st.Chan, 0)
		if c := places[i].class; wait && st.Dir == types.RecvOnly && c != "" && !slices.Contains(quit, c) {
			quit = append(quit, c)
		}
	}
	slices.Sort(quit)
	for i, st := range s.States {
		kind := KindRecv
		if st.Dir == types.SendOnly {
			kind = KindSend
		}
		p := places[i]
		op := w.opAt(kind, whatFor(kind, p.short)+" in select", p, st.Pos)
		op.ByValue = false
		if wait {
			op.Quit = quit
			w.emitWait(op, held, nil)
			op.Quit = nil
		}
		w.emitChan(op)
	}
}

// whatFor names an operation on the lock or channel called short.
func whatFor(kind Kind, short string) string {
	switch kind {
	case KindLock, KindRLock:
		name := short
		if name == "" {
			name = "mutex"
		}
		if kind == KindRLock {
			return name + ".RLock"
		}
		return name + ".Lock"
	case KindSend, KindRecv, KindClose:
		verb := map[Kind]string{KindSend: "send to", KindRecv: "receive from", KindClose: "close of"}[kind]
		if short == "" {
			return verb + " channel"
		}
		return verb + " " + short
	}
	return kind.String()
}

// boundedChan reports whether receiving from ch waits a bounded time: a
// channel from time.After or time.Tick, or a Timer's or Ticker's C.
func boundedChan(ch ssa.Value) bool {
	switch v := ch.(type) {
	case *ssa.Call:
		if obj := funcObject(v.Call.StaticCallee()); obj != nil {
			n := obj.FullName()
			return n == "time.After" || n == "time.Tick"
		}
		// ctx.Done() of a context made here with a timeout or deadline.
		if v.Call.IsInvoke() && v.Call.Method.Name() == "Done" {
			if ex, ok := v.Call.Value.(*ssa.Extract); ok && ex.Index == 0 {
				if c, ok := ex.Tuple.(*ssa.Call); ok {
					if obj := funcObject(c.Call.StaticCallee()); obj != nil {
						return deadlineContexts[obj.FullName()]
					}
				}
			}
		}
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			if _, named := structOf(fa.X.Type()); named != nil && named.Obj().Pkg() != nil &&
				named.Obj().Pkg().Path() == "time" && (named.Obj().Name() == "Timer" || named.Obj().Name() == "Ticker") {
				return true
			}
		}
	case *ssa.ChangeType:
		return boundedChan(v.X)
	}
	return false
}

// funcObject returns the declared function behind fn (the generic origin
// for an instance), or nil for closures and synthetic functions.
func funcObject(fn *ssa.Function) *types.Func {
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, _ := fn.Object().(*types.Func)
	if obj != nil {
		obj = obj.Origin()
	}
	return obj
}
