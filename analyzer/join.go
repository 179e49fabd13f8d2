package analyzer

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file decides which goroutine starts are joined before their
// function returns: the function, after the start and on every path to
// its return, waits for the goroutine to finish. Such a start is not
// exported in the function's summary as a goroutine that runs on (see
// settleGos); what the joined goroutine starts itself still is.
//
// What ends a wait is the progress model's question (partners, in
// partners.go): a join here is a wait whose only partners are
// goroutines of the package that perform the ending operation on every
// path (partner.must) and as their last action:
//
//   - (*sync.WaitGroup).Wait, after an Add on the same WaitGroup before
//     the start, for goroutines that call Done last (deferred, or on
//     every path with nothing after it), or that WaitGroup.Go started;
//   - a range loop (or a comma-ok receive in a loop) that ends when the
//     channel is closed, for the one goroutine that closes it last;
//   - a receive, for the one goroutine that sends on or closes the
//     channel last, when no other code does.
//
// A call of a function of the package that joins the goroutine on every
// path (a deferred closure that drains the channel) joins it too.

// A join says that a join point waits for the goroutine of site; wg is
// the WaitGroup class whose Wait it is ("" for a channel), which the
// starter must add to before the start.
type join struct {
	site *goSite
	wg   string
}

// A joinPoint is an instruction of a function after which (or, for a
// deferred call, at whose function's return) the goroutines of joins
// have finished. For a range loop it is the first instruction of the
// block the loop leaves to when the channel is closed.
type joinPoint struct {
	at       ssa.Instruction
	deferred bool
	joins    []join
}

// joinIndex holds what the engine computed about joins, once per
// function.
type joinIndex struct {
	sites  map[ssa.Instruction][]*goSite // the starts of each go statement or WaitGroup.Go call
	points map[*ssa.Function][]joinPoint
	must   map[*ssa.Function][]join // what a function joins on every path
	busy   map[*ssa.Function]bool
	last   map[lastKey]bool
	doners map[string][]*ssa.Function // WaitGroup class → the functions that call its Done
	adds   map[string][]ssa.Instruction
	cross  map[*ssa.Function]crossOut // what each function's summary says of WaitGroups (crossjoin.go)
}

// A lastKey is a question to finishesWith.
type lastKey struct {
	site  *goSite
	class string
	kinds string
}

// forgetJoins drops what was decided from summaries that a round of a
// recursive cycle is still changing; the index of starts, Dones and
// Adds stays.
func (e *engine) forgetJoins() {
	if x := e.joins; x != nil {
		x.points = map[*ssa.Function][]joinPoint{}
		x.must = map[*ssa.Function][]join{}
		x.last = map[lastKey]bool{}
	}
}

func (e *engine) joinIdx() *joinIndex {
	if e.joins != nil {
		return e.joins
	}
	x := &joinIndex{sites: map[ssa.Instruction][]*goSite{}, points: map[*ssa.Function][]joinPoint{},
		must: map[*ssa.Function][]join{}, busy: map[*ssa.Function]bool{}, last: map[lastKey]bool{},
		doners: map[string][]*ssa.Function{}, adds: map[string][]ssa.Instruction{},
		cross: map[*ssa.Function]crossOut{}}
	for _, s := range e.gos {
		x.sites[s.instr] = append(x.sites[s.instr], s)
	}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				obj := funcObject(c.Call.StaticCallee())
				if obj == nil || len(c.Call.Args) == 0 {
					continue
				}
				switch e.fullName(obj) {
				case wgDone:
					class := e.addrPlace(c.Call.Args[0], 0).class
					if !slices.Contains(x.doners[class], fn) {
						x.doners[class] = append(x.doners[class], fn)
					}
				case wgAdd:
					class := e.addrPlace(c.Call.Args[0], 0).class
					x.adds[class] = append(x.adds[class], c)
				}
			}
		}
	}
	e.joins = x
	return x
}

// joinedStart reports whether every goroutine started at instr, a go
// statement or a call of WaitGroup.Go, is joined before its function
// returns, and returns those starts.
func (e *engine) joinedStart(instr ssa.Instruction) ([]*goSite, bool) {
	x := e.joinIdx()
	sites := x.sites[instr]
	if len(sites) == 0 {
		return nil, false
	}
	points := e.joinPoints(instr.Parent())
	if len(points) == 0 {
		return nil, false
	}
	for _, s := range sites {
		if !e.joinedAfter(instr, s, points) {
			return nil, false
		}
	}
	return sites, true
}

// joinedAfter reports whether, from the start at g, every path to the
// return of g's function passes a join point of site that is valid at g
// (a WaitGroup's Wait counts only when an Add on it comes before g), or
// whether a deferred join of site is registered before g. A WaitGroup
// counts every start; a channel is closed or sent on once by one
// goroutine, so its join must also come before the start runs again.
func (e *engine) joinedAfter(g ssa.Instruction, site *goSite, points []joinPoint) bool {
	wgAt, chanAt := map[ssa.Instruction]bool{}, map[ssa.Instruction]bool{}
	for _, p := range points {
		for _, j := range p.joins {
			if j.site != site || (j.wg != "" && j.wg != site.wg.class && !e.addedBefore(j.wg, g)) {
				continue
			}
			if p.deferred && before(p.at, g) && (j.wg != "" || !e.inLoop(g.Block())) {
				return true
			}
			if j.wg != "" {
				wgAt[p.at] = true
			} else {
				chanAt[p.at] = true
			}
		}
	}
	b := g.Block()
	i := slices.Index(b.Instrs, g)
	return (len(wgAt) > 0 && passesFrom(b, i+1, nil, wgAt)) || (len(chanAt) > 0 && passesFrom(b, i+1, g, chanAt))
}

// addedBefore reports whether an Add on the WaitGroup class runs before
// instr on every path to it.
func (e *engine) addedBefore(class string, instr ssa.Instruction) bool {
	for _, a := range e.joinIdx().adds[class] {
		if a.Parent() == instr.Parent() && before(a, instr) {
			return true
		}
	}
	return false
}

// passesFrom reports whether every path from instruction i of block b to
// a return of the function, or to the instruction stop, passes one of
// the instructions at.
func passesFrom(b *ssa.BasicBlock, i int, stop ssa.Instruction, at map[ssa.Instruction]bool) bool {
	scan := func(instrs []ssa.Instruction) (joined, ends bool) {
		for _, instr := range instrs {
			if at[instr] {
				return true, true
			}
			if _, ok := instr.(*ssa.Return); ok || instr == stop {
				return false, true
			}
		}
		return false, false
	}
	if joined, ends := scan(b.Instrs[i:]); ends {
		return joined
	}
	seen := make([]bool, len(b.Parent().Blocks))
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x.Index] {
			continue
		}
		seen[x.Index] = true
		joined, ends := scan(x.Instrs)
		if ends && !joined {
			return false
		}
		if !ends {
			work = append(work, x.Succs...)
		}
	}
	return true
}

// joinPoints returns the join points of fn, in the order of its blocks.
func (e *engine) joinPoints(fn *ssa.Function) []joinPoint {
	x := e.joinIdx()
	if ps, ok := x.points[fn]; ok {
		return ps
	}
	if x.busy[fn] {
		return nil
	}
	x.busy[fn] = true
	defer delete(x.busy, fn)
	var out []joinPoint
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch i := instr.(type) {
			case *ssa.UnOp:
				if i.Op != token.ARROW {
					continue
				}
				if i.CommaOk && e.inLoop(b) {
					if exit := rangeExit(i); exit != nil {
						if js := e.chanJoins(e.chanPlace(i.X, 0).class, endsRange); len(js) > 0 {
							out = append(out, joinPoint{at: exit.Instrs[0], joins: js})
						}
					}
					continue
				}
				if js := e.chanJoins(e.chanPlace(i.X, 0).class, endsRecv); len(js) > 0 {
					out = append(out, joinPoint{at: i, joins: js})
				}
			case ssa.CallInstruction:
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				_, deferred := instr.(*ssa.Defer)
				if js := e.callJoins(i); len(js) > 0 {
					out = append(out, joinPoint{at: i, deferred: deferred, joins: js})
				}
			}
		}
	}
	x.points[fn] = out
	return out
}

// rangeExit returns the block that the receive r of a range loop (a
// comma-ok receive tested by the loop's branch) leaves to when the
// channel is closed, when only that branch leads there.
func rangeExit(r *ssa.UnOp) *ssa.BasicBlock {
	b := r.Block()
	iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok || len(b.Succs) != 2 {
		return nil
	}
	ex, ok := iff.Cond.(*ssa.Extract)
	if !ok || ex.Tuple != ssa.Value(r) || ex.Index != 1 {
		return nil
	}
	exit := b.Succs[1]
	if len(exit.Preds) != 1 || len(exit.Instrs) == 0 {
		return nil
	}
	return exit
}

// chanJoins returns the join of a receive from a channel of class that
// operations of the kinds end: the one goroutine start whose goroutine
// performs one of them, on every path and last, when no other code of
// the package does.
func (e *engine) chanJoins(class string, kinds []Kind) []join {
	if class == "" {
		return nil
	}
	ps := e.partners(class, kinds...)
	if len(ps) != 1 || !ps[0].must {
		return nil
	}
	s := ps[0].site
	for _, u := range e.chanIndex().uses {
		if u.class == class && slices.Contains(kinds, u.kind) && u.instr.Parent() != s.fn {
			return nil
		}
	}
	if !e.finishesWith(s, class, kinds) {
		return nil
	}
	return []join{{site: s}}
}

// callJoins returns the joins of a call: a WaitGroup's Wait, or a call
// of functions of the package that each join goroutines on every path.
func (e *engine) callJoins(c ssa.CallInstruction) []join {
	common := c.Common()
	if obj := funcObject(common.StaticCallee()); obj != nil && e.fullName(obj) == waitGroupWait {
		if len(common.Args) == 0 {
			return nil
		}
		return e.wgJoins(e.addrPlace(common.Args[0], 0).class)
	}
	var out []join
	for i, ce := range e.callees(c) {
		if ce.dynamic || ce.invoked || !e.inPkg[ce.fn] {
			return nil
		}
		js := e.mustJoins(ce.fn)
		if i == 0 {
			out = js
			continue
		}
		out = slices.DeleteFunc(slices.Clone(out), func(j join) bool { return !slices.Contains(js, j) })
	}
	return out
}

// wgJoins returns the joins of a Wait on the WaitGroup class: the
// goroutine starts whose goroutines call Done on it on every path and
// last, when only goroutines started in the package call its Done.
func (e *engine) wgJoins(class string) []join {
	if class == "" {
		return nil
	}
	ps := e.partners(class, KindDone)
	for _, fn := range e.joinIdx().doners[class] {
		if !slices.ContainsFunc(ps, func(p partner) bool { return p.site.fn == fn }) {
			return nil // a Done that no goroutine start of the package makes
		}
	}
	var out []join
	for _, p := range ps {
		if p.must && e.finishesWith(p.site, class, endsWait) {
			out = append(out, join{site: p.site, wg: class})
		}
	}
	return out
}

// mustJoins returns the joins that fn performs on every path to its
// return.
func (e *engine) mustJoins(fn *ssa.Function) []join {
	x := e.joinIdx()
	if js, ok := x.must[fn]; ok {
		return js
	}
	if x.busy[fn] || !e.hasBody(fn) {
		return nil
	}
	var out []join
	points := e.joinPoints(fn)
	for _, p := range points {
		for _, j := range p.joins {
			if slices.Contains(out, j) {
				continue
			}
			at := map[ssa.Instruction]bool{}
			for _, q := range points {
				if slices.Contains(q.joins, j) {
					at[q.at] = true
				}
			}
			if passesFrom(fn.Blocks[0], 0, nil, at) {
				out = append(out, j)
			}
		}
	}
	x.must[fn] = out
	return out
}

// finishesWith reports whether the goroutine of site performs an
// operation of one of the kinds on class as its last action: every time
// it performs one directly, nothing that takes time or has an effect
// follows on the way to its return, or it performs it in a deferred
// call that runs after every other deferred call (other than an
// unlock). A WaitGroup.Go start's Done comes after its function returns.
func (e *engine) finishesWith(site *goSite, class string, kinds []Kind) bool {
	if site.wg.class == class && slices.Contains(kinds, KindDone) {
		return true
	}
	k := lastKey{site, class, kindsKey(kinds)}
	x := e.joinIdx()
	if v, ok := x.last[k]; ok {
		return v
	}
	v := e.finishes(site, class, kinds)
	x.last[k] = v
	return v
}

func (e *engine) finishes(site *goSite, class string, kinds []Kind) bool {
	fn := site.fn
	if !e.inPkg[fn] || len(fn.Blocks) == 0 {
		return false
	}
	// The walk of a function whose summary is not final yet (one of a
	// recursive cycle) is not left behind: the progress model would keep
	// it for the rest of the package (see blockWalk).
	_, had := e.roundWalks[fn]
	w := e.blockWalk(fn)
	if !e.final[fn] && !had {
		delete(e.roundWalks, fn)
	}
	if w == nil {
		return false
	}
	matches := func(op Op) bool { return slices.Contains(kinds, op.Kind) && site.actsOn(e, op, class) }
	var defers []*ssa.Defer
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if d, ok := instr.(*ssa.Defer); ok && !e.unlockCall(d) {
				defers = append(defers, d)
			}
		}
	}
	found := false
	for _, b := range fn.Blocks {
		for _, op := range w.blockOps[b] {
			if !matches(op.op) {
				continue
			}
			// Performed directly, with no deferred call to run after it
			// and nothing after it on the way to the return.
			if len(op.op.Chain) != 1 || len(defers) > 0 || !e.inertFrom(b, op.index+1, b.Instrs[op.index]) {
				return false
			}
			found = true
		}
	}
	for i, op := range w.deferred {
		if !matches(op) {
			continue
		}
		if i >= len(w.deferredAt) {
			return false
		}
		d, ok := w.deferredAt[i].(*ssa.Defer)
		if !ok || (len(op.Chain) != 1 && !e.deferredFinishes(d, op, class, kinds)) {
			return false
		}
		for _, o := range defers {
			if o != d && registeredBefore(o, d) {
				return false // it runs after the operation
			}
		}
		found = true
	}
	return found
}

// deferredFinishes reports whether the deferred call d, whose witness
// of op is one call deep, calls a function of the package that performs
// op's operation as its own last action (errgroup's done: "<-g.sem;
// g.wg.Done()"), seen as a goroutine of its own started with d's
// arguments.
func (e *engine) deferredFinishes(d *ssa.Defer, op Op, class string, kinds []Kind) bool {
	callee := d.Call.StaticCallee()
	if len(op.Chain) != 2 || callee == nil || !e.inPkg[callee] {
		return false
	}
	return e.finishes(&goSite{instr: d, fn: callee, args: callArgs(&d.Call), wg: place{param: -1}}, class, kinds)
}

// registeredBefore reports whether the deferred call a may be registered
// before b on some path, and so run after it.
func registeredBefore(a, b *ssa.Defer) bool {
	if a.Block() == b.Block() {
		return slices.Index(a.Block().Instrs, ssa.Instruction(a)) < slices.Index(b.Block().Instrs, ssa.Instruction(b)) || inLoop(a.Block())
	}
	return reachable(a.Block(), b.Block(), nil)
}

// inertFrom reports whether every instruction that can run after
// instruction i of block b, on the way to the function's return, is
// inert (see inert); op is the operation itself, which must not run
// again.
func (e *engine) inertFrom(b *ssa.BasicBlock, i int, op ssa.Instruction) bool {
	for _, instr := range b.Instrs[i:] {
		if !e.inert(instr) {
			return false
		}
	}
	seen := make([]bool, len(b.Parent().Blocks))
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x.Index] {
			continue
		}
		seen[x.Index] = true
		for _, instr := range x.Instrs {
			if instr == op || !e.inert(instr) {
				return false
			}
		}
		work = append(work, x.Succs...)
	}
	return true
}

// inert reports whether an instruction takes no time worth the name and
// starts nothing: no call (other than a builtin or an unlock), no
// channel operation, no goroutine start, no deferred call.
func (e *engine) inert(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.Go, *ssa.Send, *ssa.Select, *ssa.Defer:
		return false
	case *ssa.UnOp:
		return x.Op != token.ARROW
	case *ssa.Call:
		if _, ok := x.Call.Value.(*ssa.Builtin); ok {
			return true
		}
		return e.unlockCall(x)
	}
	return true
}

// unlockCall reports whether c calls the Unlock or RUnlock of a std
// lock.
func (e *engine) unlockCall(c ssa.CallInstruction) bool {
	obj := funcObject(c.Common().StaticCallee())
	return obj != nil && unlockCalls[e.fullName(obj)]
}

// settleGos records the goroutine starts of the walk that may run on
// after the function returns: a start that is joined before it returns
// is replaced by what its goroutine starts, seen through the start.
func (w *walker) settleGos() {
	own := map[string]bool{} // the starts recorded, and whether a WaitGroup counts each
	var counted []string
	mark := func(op Op, path string) {
		k := opKey(op)
		if v, seen := own[k]; seen {
			own[k] = v && path != ""
		} else {
			own[k] = path != ""
		}
		if path != "" {
			counted = append(counted, path)
		}
	}
	for _, p := range w.pendingGos {
		sites, ok := w.e.joinedStart(p.at)
		if !ok {
			w.sum.gos.add(p.op)
			mark(p.op, w.e.countedPathAt(p.at))
			continue
		}
		for _, s := range sites {
			sum := w.e.summaryOf(s.fn)
			if sum == nil {
				w.sum.gos.add(p.op) // what the goroutine starts is unknown
				mark(p.op, "")
				continue
			}
			h := w.e.hop(w.e.goName(s), p.at.Pos())
			for _, op := range sum.Go {
				t := op
				t.Chain = prepend(h, op.Chain)
				w.sum.gos.add(t)
				mark(t, "")
			}
		}
	}
	w.pendingGos = nil
	if w.mode == walkSummary || w.tables() {
		w.settleCounted(own, counted)
	}
}

// A pendingGo is a goroutine start of a walk, at the go statement or
// WaitGroup.Go call that makes it, until settleGos decides it.
type pendingGo struct {
	op Op
	at ssa.Instruction
}
