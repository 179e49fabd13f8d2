package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A callee is one function a call site may reach.
type callee struct {
	fn      *ssa.Function
	dynamic bool // resolved by the call graph, not named by the call
	invoked bool // called by the std function the call names (pprof.Do's f)
}

// callArgs returns a call's arguments with the receiver first for method
// calls through an interface, matching the callee's parameter list.
func callArgs(c *ssa.CallCommon) []ssa.Value {
	if c.IsInvoke() {
		return append([]ssa.Value{c.Value}, c.Args...)
	}
	return c.Args
}

// call applies the effects of a call instruction to the held set.
func (w *walker) call(instr ssa.CallInstruction, held heldSet) heldSet {
	if c, ok := instr.(*ssa.Call); ok && w.record && w.tables() && len(held) > 0 {
		w.recordForkLock(c, held)
	}
	common := instr.Common()
	args := closureArgs(common)
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "append":
			w.emitAlloc(w.opNamed(KindAlloc, "append", instr.Pos()), held, instr.Pos())
		case "close":
			if len(args) == 1 {
				w.emitChan(w.opAt(KindClose, w.e.chanPlace(args[0], 0), instr.Pos()), instr.Block(), true)
			}
		}
		return held
	}
	if !common.IsInvoke() && common.StaticCallee() == nil {
		w.fieldCall(instr, held)
		if p, ok := w.e.cancelPlace(common.Value, 0); ok {
			// Cancelling a context closes its Done channel.
			w.emitChan(w.opAt(KindClose, p, instr.Pos()), instr.Block(), true)
		}
	}
	if common.IsInvoke() {
		// A method of a std interface that waits for the outside world
		// (net.Conn's Read): whatever implements it.
		if full := w.e.fullName(common.Method); isWorldCall(full) {
			w.worldCall(instr, full, args, held)
		}
	}
	callees := w.e.callees(instr)
	sure := w.sureOps(callees, args)
	for _, c := range callees {
		a := args
		if c.invoked {
			a = w.invokedArgs(c.fn) // called with arguments of the std function's own
		}
		held = w.applyCall(instr, c, sure, a, held)
	}
	return held
}

// sureOps returns the keys of the channel operations (and Done calls) that
// a call performs on every path whichever of its callees it reaches: those
// every callee performs on every path. A call that no callee resolves
// performs none for sure.
func (w *walker) sureOps(callees []callee, args []ssa.Value) map[string]bool {
	var sure map[string]bool
	i := 0
	for _, c := range callees {
		if c.invoked || (!w.e.inPkg[c.fn] && isStdFunc(c.fn)) {
			// A function a std function invokes runs, as far as the
			// engine knows, once for sure; the std function itself has
			// no channel operations of its own.
			if c.invoked {
				if s := w.e.summaryOf(c.fn); s != nil {
					a := w.invokedArgs(c.fn)
					for _, op := range s.Chans {
						if !op.Must {
							continue
						}
						if a != nil {
							t, _, ok := w.translate(op, a, false)
							if !ok {
								continue
							}
							op = t
						}
						if sure == nil {
							sure = map[string]bool{}
						}
						sure[opKey(op)] = true
					}
				}
			}
			continue
		}
		i++
		s := w.e.summaryOf(c.fn)
		if s == nil {
			return nil
		}
		here := map[string]bool{}
		for _, op := range s.Chans {
			if op.Must {
				if t, _, ok := w.translate(op, args, false); ok {
					here[opKey(t)] = true
				}
			}
		}
		if i == 1 && sure == nil {
			sure = here
			continue
		}
		for k := range sure {
			if !here[k] {
				delete(sure, k)
			}
		}
	}
	return sure
}

// isStdFunc reports whether fn is a function of the standard library.
func isStdFunc(fn *ssa.Function) bool {
	obj := funcObject(fn)
	return obj != nil && obj.Pkg() != nil && isStd(obj.Pkg().Path())
}

// applyCall applies the effects of calling c: from the std table for the
// standard library, otherwise from c's summary. sure holds the keys of the
// channel operations the call performs whichever callee it reaches.
func (w *walker) applyCall(instr ssa.CallInstruction, c callee, sure map[string]bool, args []ssa.Value, held heldSet) heldSet {
	pos := instr.Pos()
	obj := funcObject(c.fn)
	if obj != nil && obj.Pkg() != nil && SyscallPackage(obj.Pkg().Path()) && !SyscallPackage(w.e.pkg.Path()) {
		if eff := FdEffectOf(obj, w.e.fdArgs(args)); eff.Kind == FdCreate && eff.Creator.Flags >= 0 {
			w.fdCreation(instr, obj, eff, args)
		}
	}
	if obj != nil && obj.Pkg() != nil && !w.e.local(c.fn) && isStd(obj.Pkg().Path()) {
		return w.stdCall(instr, obj, args, held)
	}

	s := w.e.summaryOf(c.fn)
	if s == nil || s.empty() {
		return held
	}
	h := w.e.hop(w.e.callName(c.fn), pos)
	h.Dynamic = c.dynamic
	for _, fw := range s.Fds {
		if fw.Param < len(args) {
			w.fdWrapper(fw, w.e.flagsOf(args[fw.Param], constant.MakeInt64(fw.Bit)), h, fw.Chain, func() bool {
				return w.markedAfter(instr, FdCreator{Place: FdResult}, args)
			})
		}
	}
	// via gives t, the caller's view of the callee's op, its witness
	// through this call. The first pass of a walk, which only finds the
	// locks held at each block, records nothing: there only the locks
	// held need one.
	via := func(op, t Op) Op {
		if w.record {
			t.Chain = prepend(h, op.Chain)
		}
		return t
	}
	// A callee that releases a lock the caller holds (one that drops the
	// lock while it waits and takes it again, say) may do all it does
	// without that lock: nothing shows it is held across.
	// A release of a lock the caller does not hold either is the
	// caller's release too: its own caller may hold the lock.
	inside := held
	for _, op := range s.Releases {
		if w.keepHeld {
			break
		}
		if t, key, ok := w.translate(op, args, true); ok {
			var dropped bool
			if inside, dropped = inside.without(key, t.Class); !dropped && w.record && !w.region() && !c.dynamic {
				w.sum.releases.add(t)
			}
		}
	}
	w.relockCall(s, args, inside, h)
	w.calleeFieldCalls(s, h, inside)
	for _, op := range s.Locks {
		if t, _, ok := w.translate(op, args, true); ok && !w.known(&w.sum.locks, t, h, op.Chain, inside) {
			w.emitLock(via(op, t), inside, releasedBy(op))
		}
	}
	var closed []string // channels closed before the call, computed once
	for _, op := range s.Waits {
		t, _, ok := w.translate(op, args, false)
		if !ok || (t.End == EndAlone && t.Holder == 0) {
			continue // a finalizer's wait, and this is no finalizer of its object
		}
		if !(op.Param >= 0 && op.Class == "") && w.known(&w.sum.waits, t, h, op.Chain, inside) {
			continue
		}
		t = via(op, t)
		if t.End == EndWorld && w.worldBounded(op, t, args) {
			continue // a deadline in the caller bounds it
		}
		if op.Param >= 0 && op.Class == "" && w.rejudge(instr, t, inside) {
			continue
		}
		if t.Kind == KindRecv && !t.Select && w.e.givesUnit(t.Class) {
			continue // a semaphore unit given back: it never waits
		}
		if len(t.Ends) > 0 {
			if closed == nil {
				closed = append(w.e.fedBefore(w.fn, instr, false), "")
			}
			if endedBy(t, closed) {
				continue // the caller closed its channel first
			}
			if t.Kind == KindRecv && w.e.madeBuffered(t.Class) && w.sentFirst(instr, t.Class) {
				continue // the caller's own value waits in the buffer
			}
		}
		w.emitWait(t, inside, releasedBy(op))
	}
	for _, op := range s.Chans {
		if t, _, ok := w.translate(op, args, false); ok {
			if c := t; c.Class != "" || c.Param >= 0 {
				if c.End, c.Ends = 0, nil; w.known(&w.sum.chans, c, h, op.Chain, nil) {
					blk := instr.Block()
					if w.inDefer {
						blk = w.cur
					}
					w.sum.markChan(c, blk, len(sure) > 0 && sure[opKey(t)])
					continue
				}
			}
			w.emitChan(via(op, t), instr.Block(), len(sure) > 0 && sure[opKey(t)])
		}
	}
	for _, op := range s.Alloc {
		w.emitAlloc(via(op, unguarded(op)), inside, pos)
	}
	for _, op := range s.Go {
		w.emitGo(via(op, unguarded(op)))
	}
	for _, f := range s.Finalizes {
		w.finalizerArg(args, f)
	}
	if c.dynamic {
		return held
	}
	// Releases first: a callee that releases a lock and takes it again
	// returns holding it.
	held = inside
	for _, op := range s.Holds {
		if t, key, ok := w.translate(op, args, true); ok {
			t.Chain = prepend(h, op.Chain)
			held = held.with(heldLock{key: key, op: t, at: pos, path: w.e.keptPath(s, op, args)})
		}
	}
	return held
}

// sentFirst reports whether w's function sends on class before instr, on
// every path to it: a receive from a buffered channel of class after it
// takes back that value (semantics: "a receive that takes back what it
// sent").
func (w *walker) sentFirst(instr ssa.Instruction, class string) bool {
	for _, f := range w.e.feedsOf(w.fn) {
		if !f.close && f.class == class && f.reaches(instr) {
			return true
		}
	}
	return false
}

// rejudge decides again, in the caller, a callee's wait on a channel,
// WaitGroup or connection that the callee got from a parameter: here the
// argument may show what ends it. It reports whether it handled the wait.
func (w *walker) rejudge(instr ssa.CallInstruction, t Op, held heldSet) bool {
	switch {
	case t.End == EndWorld:
		return false
	case t.Class == "":
		return false
	case t.Kind == KindRecv || t.Kind == KindSend:
		if t.Select {
			return false
		}
		op := t
		op.End = 0
		w.apply(w.e.judge(w.fn, instr, t.Kind, t.Class), op, held, nil)
		return true
	case t.Kind == KindWait && t.Name == waitGroupWait:
		op := t
		op.End = 0
		w.apply(w.e.judge(w.fn, instr, KindWait, t.Class), op, held, nil)
		return true
	}
	return false
}

// worldBounded reports whether the caller bounds a callee's world wait
// op (t is op translated): it set a deadline on the connection first, or
// the connection or client it passes has one.
func (w *walker) worldBounded(op, t Op, args []ssa.Value) bool {
	if t.Class != "" && w.e.worldIndex().timed[t.Class] {
		return true // a client kept where only timed clients go
	}
	if op.Param >= 0 && op.Param < len(args) {
		arg := args[op.Param]
		kind := worldConn
		if isNamed(deref(unwrapValue(arg).Type()), "net/http", "Client") {
			kind = worldClient
		}
		return w.e.bounded(w.fn, arg, kind)
	}
	return w.e.worldIndex().deadlined(w.fn, place{class: t.Class, param: -1, key: "\x00"})
}

// stdCall applies the effects of a call of the standard library, from the
// table.
func (w *walker) stdCall(instr ssa.CallInstruction, obj *types.Func, args []ssa.Value, held heldSet) heldSet {
	pos := instr.Pos()
	full := w.e.fullName(obj)
	if reg, ok := finalizerCalls[full]; ok {
		w.finalizerArg(args, reg.forward())
		return held
	}
	switch {
	case lockCalls[full] != 0 && len(args) > 0:
		return w.acquireMutex(lockCalls[full], args[0], pos, held)
	case unlockCalls[full] && len(args) > 0:
		return w.release(args[0], held)
	case full == condWait && len(args) > 0:
		if !w.e.condLockWait(instr) {
			w.condWait(instr, args[0], pos, held)
		}
	case full == waitGroupWait && len(args) > 0:
		p := w.e.addrPlace(args[0], 0)
		op := w.opAt(KindWait, p, pos)
		op.Name, op.ByValue = waitGroupWait, false
		if p.class == "" && p.param >= 0 {
			op.End = EndPartner // the caller knows the WaitGroup
			w.emitWait(op, held, nil)
			break
		}
		w.applyHolder(w.e.judge(w.fn, instr, KindWait, p.class), op, p, KindWait, held, nil)
	case (full == condSignal || full == condBroadcast) && len(args) > 0:
		op := w.opAt(KindDone, w.e.addrPlace(args[0], 0), pos)
		op.Name, op.ByValue = "", false
		w.emitChan(op, instr.Block(), true)
		if w.e.condLockRelease(args[0]) {
			return w.release(args[0], held)
		}
	case full == wgDone && len(args) > 0:
		p := w.e.addrPlace(args[0], 0)
		if w.compensates(instr, p) {
			break
		}
		op := w.opAt(KindDone, p, pos)
		op.Name, op.ByValue = "", false
		blk := instr.Block()
		if g := w.e.flagGuard(instr, args[0]); g != nil {
			blk = g // skipped only when nothing was added
		}
		w.emitChan(op, blk, true)
	case isWorldCall(full):
		w.worldCall(instr, full, args, held)
	}
	if goCalls[full] {
		w.emitGo(w.opNamed(KindGo, objectName(obj, w.e.pkg), pos))
	}
	if stdAllocates(obj.Pkg().Path(), full) {
		w.emitAlloc(w.opNamed(KindAlloc, objectName(obj, w.e.pkg), pos), held, pos)
	}
	return held
}

// condWait records a wait on a sync.Cond: a merely possible partner
// (Signal or Broadcast), which releases the Cond's lock while it waits.
func (w *walker) condWait(at ssa.Instruction, c ssa.Value, pos token.Pos, held heldSet) {
	// The lock the Cond releases: the argument of the sync.NewCond that
	// made it when that is in sight, the lock the package gives Conds of
	// its class, else any lock reached from the same variable as the Cond.
	cond := w.e.addrPlace(c, 0)
	base := strings.TrimLeft(cond.key, "*")
	lockClass := w.e.condLocks()[cond.class]
	if l := w.e.condLock(c, 0); l != nil {
		lp := w.e.addrPlace(l, 0)
		base = strings.TrimLeft(lp.key, "*")
		if lockClass == "" {
			lockClass = lp.class
		}
	} else if i := strings.LastIndexByte(base, '.'); i >= 0 && lockClass == "" {
		base = base[:i+1]
	} else {
		base = "\x00"
	}
	releases := func(h heldLock) bool {
		return strings.HasPrefix(strings.TrimLeft(h.key, "*"), base) || (lockClass != "" && h.op.Class == lockClass)
	}
	// The wait names the lock it releases (its Class), so that a caller
	// holding that lock across this function is not holding it across
	// the wait.
	op := w.opNamed(KindWait, condWait, pos)
	op.Class = lockClass
	// A goroutine of this code that signals the Cond ends the wait.
	v := verdict{end: EndPartner}
	if cond.class != "" {
		v = w.e.judge(w.fn, at, KindCond, cond.class)
		// A joiner that signals the Cond first ends it: the waiter
		// checks the condition the signaller set (see fed.go).
		op.Ends = []string{cond.class}
	}
	cond.class = lockClass // the op's class is the lock the Cond releases
	w.applyHolder(v, op, cond, KindCond, held, releases)
}

// translate restates a callee's Op in the caller: a lock or channel the
// callee reaches through a parameter is found from the argument. ok is
// false when the lock turns out to be local to the caller or unknown.
func (w *walker) translate(op Op, args []ssa.Value, isLock bool) (Op, string, bool) {
	return w.e.translateAt(args, op, isLock)
}

// acquire records a direct Lock or RLock of the mutex at address v.
func (w *walker) acquire(kind Kind, v ssa.Value, pos token.Pos, held heldSet) heldSet {
	p := w.e.addrPlace(v, 0)
	if p.local {
		return held
	}
	op := w.opAt(kind, p, pos)
	if p.class != "" || p.param >= 0 {
		w.emitLock(op, held, nil)
	}
	return held.with(heldLock{key: p.key, op: op, at: pos})
}

// release records a direct Unlock or RUnlock of the mutex at address v.
func (w *walker) release(v ssa.Value, held heldSet) heldSet {
	p := w.e.addrPlace(v, 0)
	out, ok := held.without(p.key, p.class)
	if !ok && w.record && !w.region() && (p.param >= 0 || p.class != "") {
		w.sum.releases.add(Op{Kind: KindLock, Name: p.short, Class: p.class, Param: p.param, ByValue: p.byValue})
	}
	return out
}

// finalizerArg notes that the call with arguments args registers its
// argument f.Param as a finalizer or cleanup, f.Obj as the object and
// f.Arg as the cleanup's argument: when the function value is a
// parameter, the function forwards a root to its callers, with the
// parameters that give the object and the argument.
func (w *walker) finalizerArg(args []ssa.Value, f Forward) {
	if !w.record || w.region() || f.Param < 0 || f.Param >= len(args) {
		return
	}
	p, ok := asParam(args[f.Param])
	if !ok {
		return
	}
	fw := Forward{Kind: f.Kind, Param: p, Obj: -1, Arg: -1}
	if f.Obj >= 0 && f.Obj < len(args) {
		if o, ok := asParam(args[f.Obj]); ok {
			fw.Obj = o
		}
	}
	if f.Arg >= 0 && f.Arg < len(args) {
		if a, ok := asParam(args[f.Arg]); ok {
			fw.Arg = a
		}
	}
	if w.sum.finalizes == nil {
		w.sum.finalizes = map[Forward]bool{}
	}
	w.sum.finalizes[fw] = true
}

// asParam returns the index of the parameter that v is, through
// conversions to an interface or another named type.
func asParam(v ssa.Value) (int, bool) {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Parameter:
			i := paramIndex(x)
			return i, i >= 0
		default:
			return -1, false
		}
	}
}

// releasedBy returns, for a callee's Cond.Wait that names the lock it
// releases, or for what a Cond.Wait's joined goroutine does meanwhile,
// the test that drops that lock from the locks held across it.
func releasedBy(op Op) func(heldLock) bool {
	var classes []string
	if op.Kind == KindWait && op.Class != "" {
		classes = append(classes, op.Class)
	}
	for _, h := range op.Chain {
		if h.Join && h.Releases != "" {
			classes = append(classes, h.Releases)
		}
	}
	if len(classes) == 0 {
		return nil
	}
	return func(h heldLock) bool { return slices.Contains(classes, h.op.Class) }
}

// condLocks maps each Cond class of the package to the lock class that
// Conds of that class release: the package stores sync.NewCond(&mu) into
// the Cond's variable or field, or sets the Cond's L to &mu (or to a
// parameter for which every caller passes &mu). It is built once, from the
// package's stores.
func (e *engine) condLocks() map[string]string {
	if e.conds != nil {
		return e.conds
	}
	e.conds = map[string]string{}
	unwrap := func(v ssa.Value) ssa.Value {
		if mi, ok := v.(*ssa.MakeInterface); ok {
			return mi.X
		}
		return v
	}
	for st := range e.allStores {
		var condClass, lockClass string
		if l := e.condLock(st.Val, 0); l != nil {
			// x.cond = sync.NewCond(&mu)
			condClass, lockClass = e.addrPlace(st.Addr, 0).class, e.callerClass(l, e.addrPlace, true, 0)
		} else if fa, ok := st.Addr.(*ssa.FieldAddr); ok && isCondL(fa) {
			// x.cond.L = &mu
			// or x.cond.L = mu, for a parameter mu that the
			// callers give &m
			condClass, lockClass = e.addrPlace(fa.X, 0).class, e.callerClass(unwrap(st.Val), e.addrPlace, true, 0)
		}
		if condClass != "" && lockClass != "" {
			if _, dup := e.conds[condClass]; !dup {
				e.conds[condClass] = lockClass
			}
		}
	}
	return e.conds
}

// isCondL reports whether fa selects the L field of a sync.Cond.
func isCondL(fa *ssa.FieldAddr) bool {
	st, named := structOf(fa.X.Type())
	return st != nil && named != nil && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "sync" &&
		named.Obj().Name() == "Cond" && fa.Field < st.NumFields() && st.Field(fa.Field).Name() == "L"
}

// condLock returns the lock given to the sync.NewCond call that made the
// Cond c, when c is that call's result (held in a local variable or
// captured by a closure), or nil.
func (e *engine) condLock(c ssa.Value, depth int) ssa.Value {
	if depth > maxPlaceDepth {
		return nil
	}
	switch x := c.(type) {
	case *ssa.Call:
		if obj := funcObject(x.Call.StaticCallee()); obj != nil && obj.FullName() == "sync.NewCond" && len(x.Call.Args) == 1 {
			l := x.Call.Args[0]
			if mi, ok := l.(*ssa.MakeInterface); ok {
				l = mi.X
			}
			return l
		}
	case *ssa.FreeVar:
		if b := e.binding(x); b != nil {
			return e.condLock(b, depth+1)
		}
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if s := e.storedIn(x.X); s != nil {
				return e.condLock(s, depth+1)
			}
		}
	}
	return nil
}

// fdCreation records a call of syscall or x/sys/unix that creates file
// descriptors with flags from a parameter of the function (eff is what
// FdEffectOf says of it), unless the function marks them close-on-exec.
func (w *walker) fdCreation(instr ssa.CallInstruction, obj *types.Func, eff FdEffect, args []ssa.Value) {
	if !w.record || w.region() {
		return
	}
	fc := eff.Creator
	k := pkgConst(obj.Pkg(), fc.Cloexec)
	if k == nil {
		return // no such flag on this platform
	}
	bit, exact := constant.Int64Val(constant.ToInt(k))
	if !exact {
		return
	}
	var flags flagVal
	if fc.Field != "" {
		flags = w.e.fieldFlags(w.fn, args[fc.Flags], fc.Field, k)
	} else {
		flags = w.e.flagsOf(args[fc.Flags], k)
	}
	call := obj.Pkg().Name() + "." + obj.Name() + eff.What
	w.fdWrapper(FdWrapper{Call: call, Pkg: obj.Pkg().Path(), Flag: fc.Cloexec, Bit: bit, Pair: fc.Pair},
		flags, w.e.hop(call, instr.Pos()), nil, func() bool { return w.markedAfter(instr, fc, args) })
}

// fdWrapper records that the function passes one of its parameters as the
// flags of an fd-creating call (directly, or through a wrapper whose
// summary says so), unless it adds the close-on-exec bit itself or marks
// the descriptors close-on-exec afterwards. flags is what the engine's
// evaluator says of the flags passed: only a parameter passed on along
// one flow of values (constant bits OR'ed in on the way) makes a
// wrapper; a function that adjusts its flags on some path (a φ-node, a
// variable) chooses them itself, and its creation is judged by what its
// callers pass (see judgeCreation).
func (w *walker) fdWrapper(fw FdWrapper, flags flagVal, h Hop, chain []Hop, marked func() bool) {
	if !w.record || w.region() {
		return
	}
	if flags.k != flagParam || flags.merged || flags.fn != w.fn || marked() {
		return
	}
	fw.Param = flags.param
	fw.Chain = prepend(h, chain)
	w.sum.addFd(fw)
}
