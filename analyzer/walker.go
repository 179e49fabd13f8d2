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
	mode   walkMode
	record bool // second pass: emit effects
	cur    *ssa.BasicBlock

	deferredKeys    map[string]bool
	deferredClasses map[string]bool
	retHeld         heldSet
	retSeen         bool
	directAlloc     bool       // the summary has an allocation made by fn itself
	marks           *bool      // fn marks descriptors close-on-exec (computed once)
	deferredLocks   []heldLock // locks taken by deferred calls, held at return
	inDefer         bool       // applying a deferred call
	keepHeld        bool       // applying a deferred unlock's other effects: its releases come last

	// In walkPrefix mode: the waits, locks and channel operations of
	// each block with the index of the instruction that performs them,
	// and those of deferred calls (they happen at return).
	blockOps   map[*ssa.BasicBlock][]indexedOp
	deferred   []Op
	deferredAt []ssa.Instruction // the defer statement of each of deferred
	index      int               // of the instruction being walked in its block

	// The goroutine starts of a summary's walk that may be joined before
	// the function returns (see settleGos).
	pendingGos []pendingGo

	fieldCalls []FieldCall // calls of callback fields (see callback.go)

	chainBuf []Hop  // a witness that known compares without building it
	keyBuf   []byte // the key of the Op that known looks up
}

// A walkMode says what a walk is for.
type walkMode uint8

const (
	walkSummary walkMode = iota // a function's summary
	walkTables                  // its summary, and the package's held-across and section tables
	walkRegion                  // a signal handler's region: effects only
	walkPrefix                  // a goroutine's operations block by block (see prefix)
)

// maxInstrs bounds the size of a function finalock analyses; larger ones
// (generated tables, mostly) get an empty summary and a verbose note.
const maxInstrs = 60000

func (e *engine) newWalker(fn *ssa.Function, mode walkMode) *walker {
	w := &walker{e: e, fn: fn, sum: newSumBuilder(), mode: mode,
		deferredKeys: map[string]bool{}, deferredClasses: map[string]bool{}}
	if mode == walkPrefix {
		w.blockOps = map[*ssa.BasicBlock][]indexedOp{}
	}
	return w
}

// analyzeFunc computes the Summary of fn from the summaries of its callees.
// With tables set it also records fn's critical sections.
func (e *engine) analyzeFunc(fn *ssa.Function, tables bool) *Summary {
	mode := walkSummary
	if tables {
		mode = walkTables
	}
	w := e.walk(fn, mode)
	var entry *ssa.BasicBlock
	if len(fn.Blocks) > 0 {
		entry = fn.Blocks[0]
	}
	s := w.sum.summary(entry)
	s.Spawns = slices.Clone(e.spawnedParams(fn))
	s.Calls = w.fieldCallList()
	s.Counted, s.Joins = e.crossJoins(fn)
	return s
}

// walk runs a walker over fn: the must-held locks at each block first,
// then the effects.
func (e *engine) walk(fn *ssa.Function, mode walkMode) *walker {
	w := e.newWalker(fn, mode)
	if len(fn.Blocks) == 0 {
		return w
	}
	n := 0
	for _, b := range fn.Blocks {
		n += len(b.Instrs)
	}
	if n > maxInstrs {
		if mode != walkPrefix {
			e.note("%s: skipped, %d SSA instructions (limit %d)", funcPath(fn), n, maxInstrs)
		}
		return w
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
	limit := 8*len(fn.Blocks) + 8
	steps := 0
	for ; len(work) > 0 && steps < limit; steps++ {
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
	if len(work) > 0 {
		// Not a fixed point: the sets may hold locks that are released on
		// some path. Count none as held rather than report on them.
		for i := range in {
			if reached[i] {
				in[i] = heldSet{}
			}
		}
		if mode == walkTables {
			e.note("%s: held locks not settled after %d dataflow steps (limit); none counted as held", funcPath(fn), limit)
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
		w.sum.rl.keep(h)
	}
	w.settleGos()
	return w
}

// analyzeRegion returns the effects of the instructions of fn reachable
// from instruction start of block b (inclusive), in a root's context. The
// region ends where control comes back to recv, the block of the receive
// that starts it: from there on the function waits for the next signal,
// and what it does then (another case of a select in a loop) is not the
// handler.
func (e *engine) analyzeRegion(fn *ssa.Function, recv, b *ssa.BasicBlock, start int) (*Summary, map[*ssa.BasicBlock]bool) {
	w := e.newWalker(fn, walkRegion)
	seen := make([]bool, len(fn.Blocks))
	seen[recv.Index], seen[b.Index] = true, true
	region := map[*ssa.BasicBlock]bool{b: true}
	order := []*ssa.BasicBlock{b}
	for i := 0; i < len(order); i++ {
		for _, x := range order[i].Succs {
			if !seen[x.Index] {
				seen[x.Index] = true
				region[x] = true
				order = append(order, x)
			}
		}
	}
	// The locks held: from the receive on, and into a block, those held
	// at the end of each of its predecessors (none when one of them is
	// outside the region), to a fixed point.
	out := map[*ssa.BasicBlock]heldSet{}
	entry := func(x *ssa.BasicBlock) heldSet {
		var in heldSet
		for _, p := range x.Preds {
			if !region[p] {
				return heldSet{}
			}
			if o, ok := out[p]; ok {
				if in == nil {
					in = o
				} else {
					in = meet(in, o)
				}
			}
		}
		if in == nil {
			return heldSet{}
		}
		return in
	}
	first := func() heldSet {
		w.cur = b
		held := heldSet{}
		for _, instr := range b.Instrs[start:] {
			held = w.instr(instr, held)
		}
		return held
	}
	out[b] = first()
	settled := false
	for step := 0; step < 8*len(order)+8 && !settled; step++ {
		settled = true
		for _, x := range order[1:] {
			o := w.block(x, entry(x))
			if old, ok := out[x]; !ok || !sameHeld(old, o) {
				out[x], settled = o, false
			}
		}
	}
	w.record = true
	first()
	for _, x := range order[1:] {
		in := heldSet{}
		if settled {
			in = entry(x)
		}
		w.block(x, in)
	}
	s := w.sum.summary(nil)
	s.Calls = w.fieldCallList()
	return s, region
}

func (w *walker) tables() bool { return w.mode == walkTables }
func (w *walker) region() bool { return w.mode == walkRegion }

func (w *walker) block(b *ssa.BasicBlock, held heldSet) heldSet {
	w.cur = b
	for i, instr := range b.Instrs {
		w.index = i
		held = w.instr(instr, held)
	}
	return held
}

// An indexedOp is an operation with the index, in its block, of the
// instruction that performs it.
type indexedOp struct {
	op    Op
	index int
}

func (w *walker) instr(instr ssa.Instruction, held heldSet) heldSet {
	switch i := instr.(type) {
	case *ssa.Go:
		w.goStmt(i)
	case *ssa.Defer:
		if w.deferredUnlock(i, held) || w.deferredLock(i, held) {
			return held
		}
		w.inDefer = true
		held = w.call(i, held)
		w.inDefer = false
		return held
	case *ssa.Call:
		return w.call(i, held)
	case *ssa.UnOp:
		if i.Op == token.ARROW {
			return w.recv(i, held)
		}
	case *ssa.Send:
		return w.send(i, held)
	case *ssa.Store:
		if c, ok := w.e.condLockIdx().takes[i]; ok {
			return w.acquire(KindLock, c, i.Pos(), held)
		}
	case *ssa.Select:
		w.selectOp(i, held)
	case *ssa.Return:
		w.ret(held)
	default:
		// Naming an allocation costs a type string: do it only when it
		// is recorded, and once the summary has a direct allocation
		// (none is shorter) only for critical sections.
		if w.record && w.mode != walkPrefix && (!w.directAlloc || (w.tables() && len(held) > 0)) {
			if what := allocation(instr, w.e.pkg); what != "" {
				w.emitAlloc(w.opNamed(KindAlloc, what, instr.Pos()), held, instr.Pos())
			}
		}
	}
	return held
}

// opAt makes an Op on the lock or channel at place p, performed directly
// by the function at pos.
func (w *walker) opAt(kind Kind, p place, pos token.Pos) Op {
	return Op{Kind: kind, Class: p.class, Name: p.short, Param: p.param, ByValue: p.byValue && kind.IsLock(),
		Chain: []Hop{w.e.at(pos)}}
}

// opNamed makes an Op that no lock or channel identifies (a call that
// waits, an allocation, a goroutine start), performed directly at pos.
func (w *walker) opNamed(kind Kind, name string, pos token.Pos) Op {
	return Op{Kind: kind, Name: name, Param: -1, Chain: []Hop{w.e.at(pos)}}
}

// collect records op for the current block in walkPrefix mode.
func (w *walker) collect(op Op) {
	if w.blockOps == nil {
		return
	}
	if w.inDefer {
		w.deferred = append(w.deferred, op)
		w.deferredAt = append(w.deferredAt, w.cur.Instrs[w.index])
		return
	}
	w.blockOps[w.cur] = append(w.blockOps[w.cur], indexedOp{op, w.index})
}

// emitLock records a lock acquisition under the held locks, less those
// that except says the waiter releases while the lock is taken (a lock a
// goroutine joined by a Cond.Wait takes while the Cond's lock is free).
func (w *walker) emitLock(op Op, held heldSet, except func(heldLock) bool) {
	if !w.record {
		return
	}
	op = w.blockGuard(op)
	w.collect(op)
	w.sum.locks.add(op)
	w.heldAcross(held, op, except)
}

func (w *walker) emitWait(op Op, held heldSet, except func(heldLock) bool) {
	if !w.record {
		return
	}
	op = w.blockGuard(op)
	w.sum.waits.add(op)
	if op.End == EndAlone {
		return // only a finalizer of its object waits for it
	}
	w.collect(op)
	w.heldAcross(held, op, except)
}

// emitChan records a channel operation; sure says it happens whenever
// the block runs.
func (w *walker) emitChan(op Op, blk *ssa.BasicBlock, sure bool) {
	if !w.record || (op.Class == "" && op.Param < 0) {
		return
	}
	op.End, op.Ends = 0, nil
	op = w.blockGuard(op)
	w.collect(op)
	if w.inDefer {
		blk = w.cur
	}
	w.sum.addChan(op, blk, sure)
}

func (w *walker) emitAlloc(op Op, held heldSet, pos token.Pos) {
	if !w.record || w.mode == walkPrefix {
		return
	}
	if !w.directAlloc {
		w.sum.alloc.add(op)
		w.directAlloc = len(op.Chain) == 1
	}
	if w.tables() {
		for _, h := range held {
			if h.op.Kind != KindToken { // allocunderlock is about mutexes
				w.e.addSection(w.fn, h, op, pos)
			}
		}
	}
}

// emitGo records a goroutine start. In a summary's walk, a start made
// by the instruction walked itself (a go statement, a WaitGroup.Go) waits
// for settleGos, which knows whether the function joins it before it
// returns.
func (w *walker) emitGo(op Op) {
	if !w.record {
		return
	}
	if (w.mode == walkSummary || w.tables()) && len(op.Chain) == 1 && w.cur != nil && w.index < len(w.cur.Instrs) {
		w.pendingGos = append(w.pendingGos, pendingGo{op: op, at: w.cur.Instrs[w.index]})
		return
	}
	w.sum.gos.add(op)
}

// heldAcross records, for every lock held, that op happens under it.
func (w *walker) heldAcross(held heldSet, op Op, except func(heldLock) bool) {
	if !w.tables() {
		return
	}
	for _, h := range held {
		if h.op.Class == "" || (except != nil && except(h)) {
			continue
		}
		w.e.addHeld(Held{Class: h.op.Class, Op: op, Where: w.e.hop(displayName(w.fn, w.e.pkg), h.at)})
	}
}

func (w *walker) goStmt(g *ssa.Go) {
	name := "func value"
	if fn := g.Call.StaticCallee(); fn != nil {
		name = displayName(fn, w.e.pkg)
	}
	w.emitGo(w.opNamed(KindGo, name, g.Pos()))
}

// deferredUnlock records "defer mu.Unlock()": the lock stays held until
// the function returns.
func (w *walker) deferredUnlock(d *ssa.Defer, held heldSet) bool {
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
				if t, key, ok := w.translate(op, closureArgs(&d.Call), true); ok {
					w.deferredKeys[key] = true
					if t.Class != "" {
						w.deferredClasses[t.Class] = true
					}
				}
			}
			if len(s.Chans) > 0 || len(s.Waits) > 0 {
				// What it does besides unlocking (defer func() {
				// close(f.closed); f.Unlock() }()) happens as the
				// function returns, the lock still held.
				w.inDefer, w.keepHeld = true, true
				w.call(d, held)
				w.inDefer, w.keepHeld = false, false
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
	op := w.opAt(kind, p, d.Pos())
	if p.class != "" || p.param >= 0 {
		w.emitLock(op, nil, nil)
	}
	if w.record {
		w.deferredLocks = append(w.deferredLocks, heldLock{key: p.key, op: op, at: d.Pos()})
	}
	return true
}

func (w *walker) ret(held heldSet) {
	if !w.record || w.region() {
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
