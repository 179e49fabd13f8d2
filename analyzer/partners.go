package analyzer

import (
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A goSite is one goroutine start of the package: a go statement, or a
// call of (*sync.WaitGroup).Go. The goroutines a wait can count on to
// end it are the ones this code starts (see join).
type goSite struct {
	instr ssa.Instruction // the go statement or the call
	fn    *ssa.Function   // the goroutine's function
	args  []ssa.Value     // its arguments (receiver first), to translate its summary
	wg    place           // for WaitGroup.Go: the WaitGroup its return marks done
}

// wgGo is the WaitGroup method that starts a goroutine and marks the
// WaitGroup done when it returns.
const wgGo = "(*sync.WaitGroup).Go"

// findGoSites lists the package's goroutine starts, indexes them by the
// classes their goroutines may act on, and orders every function after
// the goroutine functions it may join.
func (e *engine) findGoSites() {
	for _, fn := range e.funcs {
		if e.localInstance(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Go:
					for _, c := range e.callees(x) {
						e.gos = append(e.gos, &goSite{instr: x, fn: c.fn, args: closureArgs(&x.Call), wg: place{param: -1}})
					}
				case *ssa.Call:
					obj := funcObject(x.Call.StaticCallee())
					if obj == nil || e.fullName(obj) != wgGo || len(x.Call.Args) != 2 {
						continue
					}
					wg := e.addrPlace(x.Call.Args[0], 0)
					for _, g := range e.funcValues(x.Call.Args[1], 0) {
						e.gos = append(e.gos, &goSite{instr: x, fn: g, wg: wg})
					}
				}
			}
		}
	}
	e.spawnSites()
	if len(e.gos) == 0 {
		return
	}
	e.touching = map[string][]*goSite{}
	t := &touches{e: e, memo: map[*ssa.Function][]touch{}, busy: map[*ssa.Function]bool{}}
	for _, s := range e.gos {
		var classes []string
		if s.wg.class != "" {
			classes = append(classes, s.wg.class)
		}
		for _, x := range t.of(s.fn, false) {
			if c := s.classOf(e, x); c != "" && !slices.Contains(classes, c) {
				classes = append(classes, c)
			}
		}
		for _, c := range classes {
			e.touching[c] = append(e.touching[c], s)
		}
	}
	// A function that waits on a class needs the summaries of the
	// goroutines that act on it first: they may be what ends the wait.
	for _, fn := range e.funcs {
		var deps []*ssa.Function
		for _, x := range t.of(fn, true) {
			if x.class == "" {
				continue
			}
			for _, s := range e.touching[x.class] {
				if e.inPkg[s.fn] && !slices.Contains(deps, s.fn) {
					deps = append(deps, s.fn)
				}
			}
		}
		if len(deps) > 0 {
			if e.deps == nil {
				e.deps = map[*ssa.Function][]*ssa.Function{}
			}
			e.sortFuncs(deps)
			e.deps[fn] = deps
		}
	}
}

// spawnSites replaces the goroutine starts of spawners by starts at their
// call sites. A spawner starts a function its caller gives it:
//
//	func (s *Server) startGoRoutine(f func()) {
//		s.grWG.Add(1)
//		go func() { f() }()
//	}
//
// Its own go statement runs whatever any caller passes; the goroutine a
// caller starts, s.startGoRoutine(n.run), is n.run, started where the
// caller calls the spawner. A spawner of this package and one of another
// package, known by its summary's Spawns, are called alike.
func (e *engine) spawnSites() {
	e.findSpawners()
	var kept []*goSite
	changed := false
	for _, s := range e.gos {
		if g, ok := s.instr.(*ssa.Go); ok && len(goRuns(g)) > 0 {
			changed = true // the spawner's own start: its callers start the goroutine
			if !ownChanOps(s.fn) {
				continue
			}
			// A goroutine that also does channel operations of its own
			// (go func() { ln, err := listen(); ch <- result{ln, err} }())
			// is a goroutine of the spawner's too: those happen whatever
			// it runs.
		}
		kept = append(kept, s)
	}
	for _, fn := range e.funcs {
		if e.localInstance(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				args := callArgs(c.Common())
				for _, ce := range e.callees(c) {
					if ce.invoked {
						continue
					}
					for _, p := range e.spawnedParams(ce.fn) {
						if p >= len(args) {
							continue
						}
						for _, g := range e.funcValues(args[p], 0) {
							kept = append(kept, &goSite{instr: c, fn: g, wg: place{param: -1}})
							changed = true
						}
					}
				}
			}
		}
	}
	if !changed {
		return
	}
	sort.SliceStable(kept, func(i, j int) bool { return e.posLess(kept[i].instr.Pos(), kept[j].instr.Pos()) })
	e.gos = kept
}

// ownChanOps reports whether fn sends, receives, selects or closes a
// channel itself.
func ownChanOps(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send, *ssa.Select:
				return true
			case *ssa.UnOp:
				if x.Op == token.ARROW {
					return true
				}
			case *ssa.Call:
				if bi, ok := x.Call.Value.(*ssa.Builtin); ok && bi.Name() == "close" {
					return true
				}
			}
		}
	}
	return false
}

// findSpawners finds the package's spawners and the parameters (receiver
// first) each starts on a new goroutine: a function whose go statement
// runs a parameter (see runParams), and a function that passes a
// parameter on to a spawner of this package or of another, at a
// parameter that spawner starts.
//
// A closure passed to a spawner is the goroutine started there, even
// when it calls a parameter: what it does around that call (a Done, a
// lock) is what the waits of its package may count on.
func (e *engine) findSpawners() {
	add := func(fn *ssa.Function, ps []int) bool {
		added := false
		for _, p := range ps {
			if !slices.Contains(e.spawners[fn], p) {
				if e.spawners == nil {
					e.spawners = map[*ssa.Function][]int{}
				}
				e.spawners[fn] = append(e.spawners[fn], p)
				added = true
			}
		}
		return added
	}
	// A forward is a call that passes parameters of the caller on:
	// params[i] is the parameter passed at index i, or -1.
	type forward struct {
		call   ssa.CallInstruction
		params []int
	}
	var forwards []forward
	for _, fn := range e.funcs {
		if e.localInstance(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if g, ok := instr.(*ssa.Go); ok {
					add(fn, goRuns(g))
				}
				args := callArgs(c.Common())
				f := forward{call: c, params: make([]int, len(args))}
				found := false
				for i, a := range args {
					f.params[i] = paramOf(a, fn)
					found = found || f.params[i] >= 0
				}
				if found {
					forwards = append(forwards, f)
				}
			}
		}
	}
	// Forwards through spawners of the package settle in as many rounds
	// as the longest chain of them.
	for changed := len(forwards) > 0; changed; {
		changed = false
		for _, f := range forwards {
			fn := f.call.Parent()
			for _, ce := range e.callees(f.call) {
				if ce.invoked {
					continue
				}
				for _, p := range e.spawnedParams(ce.fn) {
					if p < len(f.params) && f.params[p] >= 0 && add(fn, f.params[p:p+1]) {
						changed = true
					}
				}
			}
		}
	}
	for _, ps := range e.spawners {
		slices.Sort(ps)
	}
}

// spawnedParams returns the parameters (receiver first) that fn starts on
// a new goroutine, for a spawner of this package or, from its summary, of
// another.
func (e *engine) spawnedParams(fn *ssa.Function) []int {
	if e.localInstance(fn) {
		fn = fn.Origin()
	}
	if e.inPkg[fn] {
		return e.spawners[fn]
	}
	if s := e.summaryOf(fn); s != nil {
		return s.Spawns
	}
	return nil
}

// goRuns returns the parameters of its function that the go statement g
// runs (see runParams).
func goRuns(g *ssa.Go) []int {
	if g.Call.IsInvoke() {
		return nil
	}
	return runParams(g.Call.Value, g.Parent())
}

// paramOf returns the index (receiver first) of the parameter of fn that
// v is, converted or not to another function type, or -1.
func paramOf(v ssa.Value, fn *ssa.Function) int {
	for {
		ct, ok := v.(*ssa.ChangeType)
		if !ok {
			break
		}
		v = ct.X
	}
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		// A parameter that a closure captures lives in a heap cell that
		// holds nothing else.
		if cell, ok := ld.X.(*ssa.Alloc); ok && cell.Parent() == fn {
			v = storedValue(cell)
		}
	}
	if p, ok := v.(*ssa.Parameter); ok && p.Parent() == fn {
		return paramIndex(p)
	}
	return -1
}

// runParams returns the parameters of fn (by index, receiver first) that
// running the function value v runs: v itself when it is a parameter of
// fn, or those that v, a closure made in fn, calls as captured variables
// (go func() { setup(); f() }()). It returns them sorted.
func runParams(v ssa.Value, fn *ssa.Function) []int {
	if p := paramOf(v, fn); p >= 0 {
		return []int{p}
	}
	mc, ok := v.(*ssa.MakeClosure)
	if !ok {
		return nil
	}
	closure, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return nil
	}
	var out []int
	for _, b := range closure.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok || c.Common().IsInvoke() {
				continue
			}
			v := c.Common().Value
			if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
				v = ld.X // a captured variable's value
			}
			fv, ok := v.(*ssa.FreeVar)
			if !ok {
				continue
			}
			i := slices.Index(closure.FreeVars, fv)
			if i < 0 || i >= len(mc.Bindings) {
				continue
			}
			bound := mc.Bindings[i]
			if cell, ok := bound.(*ssa.Alloc); ok {
				bound = storedValue(cell) // a captured variable
			}
			if p, ok := bound.(*ssa.Parameter); ok && p.Parent() == fn {
				if i := paramIndex(p); !slices.Contains(out, i) {
					out = append(out, i)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// classOf returns the class that x, a channel or WaitGroup the site's
// goroutine acts on, has where the goroutine is started.
func (s *goSite) classOf(e *engine, x touch) string {
	if x.class != "" || x.param < 0 {
		return x.class
	}
	if x.param >= len(s.args) {
		return ""
	}
	if x.wg {
		return e.addrPlace(s.args[x.param], 0).class
	}
	return e.chanPlace(s.args[x.param], 0).class
}

// actsOn reports whether op, an operation of the site's goroutine, acts
// on class where the goroutine is started.
func (s *goSite) actsOn(e *engine, op Op, class string) bool {
	if op.Class != "" {
		return op.Class == class
	}
	return op.Param >= 0 && s.classOf(e, touch{param: op.Param, wg: op.Kind == KindDone}) == class
}

// A touch is a channel or WaitGroup a function acts on, by class or by
// parameter.
type touch struct {
	class string
	param int
	wg    bool // a WaitGroup (its address), not a channel
}

// touches computes, once per function, the channels and WaitGroups it
// acts on, directly or through the static calls of the package it makes:
// a cheap over-approximation that orders the summaries.
type touches struct {
	e    *engine
	memo map[*ssa.Function][]touch
	wait map[*ssa.Function][]touch
	busy map[*ssa.Function]bool
}

// of returns what fn acts on; with waits set, only what it may wait on.
func (t *touches) of(fn *ssa.Function, waits bool) []touch {
	memo := t.memo
	if waits {
		if t.wait == nil {
			t.wait = map[*ssa.Function][]touch{}
		}
		memo = t.wait
	}
	if out, ok := memo[fn]; ok {
		return out
	}
	if !t.e.inPkg[fn] {
		var out []touch
		if s := t.e.summaryOf(fn); s != nil && !waits {
			for _, op := range s.Chans {
				out = append(out, touch{class: op.Class, param: op.Param, wg: op.Kind == KindDone})
			}
		}
		memo[fn] = out
		return out
	}
	if t.busy[fn] {
		return nil
	}
	t.busy[fn] = true
	defer delete(t.busy, fn)
	var out []touch
	add := func(x touch) {
		if (x.class != "" || x.param >= 0) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	ch := func(v ssa.Value) touch {
		p := t.e.chanPlace(v, 0)
		return touch{class: p.class, param: p.param}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send:
				add(ch(x.Chan))
			case *ssa.UnOp:
				if x.Op == token.ARROW {
					add(ch(x.X))
				}
			case *ssa.Select:
				for _, st := range x.States {
					if !waits || x.Blocking {
						add(ch(st.Chan))
					}
				}
			case ssa.CallInstruction:
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				common := x.Common()
				if bi, ok := common.Value.(*ssa.Builtin); ok {
					if bi.Name() == "close" && len(common.Args) == 1 && !waits {
						add(ch(common.Args[0]))
					}
					continue
				}
				if !common.IsInvoke() && common.StaticCallee() == nil && !waits {
					if p, ok := t.e.cancelPlace(common.Value, 0); ok {
						add(touch{class: p.class, param: p.param}) // cancelling a context
					}
				}
				args := callArgs(common)
				if obj := funcObject(common.StaticCallee()); obj != nil && len(args) > 0 {
					switch t.e.fullName(obj) {
					case "(*sync.WaitGroup).Done", "(*sync.WaitGroup).Add", condSignal, condBroadcast:
						if !waits {
							p := t.e.addrPlace(args[0], 0)
							add(touch{class: p.class, param: p.param, wg: true})
						}
						continue
					case waitGroupWait, condWait:
						if waits {
							p := t.e.addrPlace(args[0], 0)
							add(touch{class: p.class, param: p.param, wg: true})
						}
						continue
					}
				}
				for _, c := range t.e.callees(x) {
					if !t.e.inPkg[c.fn] && waits {
						continue
					}
					for _, y := range t.of(c.fn, waits) {
						if y.class != "" || y.param < 0 {
							add(touch{class: y.class, param: -1, wg: y.wg})
						} else if y.param < len(args) && !c.invoked {
							var p place
							if y.wg {
								p = t.e.addrPlace(args[y.param], 0)
							} else {
								p = t.e.chanPlace(args[y.param], 0)
							}
							add(touch{class: p.class, param: p.param, wg: y.wg})
						}
					}
				}
			}
		}
	}
	memo[fn] = out
	return out
}

// A partner is a goroutine start whose goroutine performs an operation
// that can end a wait.
type partner struct {
	site *goSite
	must bool // on every path to the goroutine's return
}

// partners returns the goroutine starts whose goroutines perform an
// operation of one of the kinds on the channel or WaitGroup class, and
// that belong to its owner (see owns).
func (e *engine) partners(class string, kinds ...Kind) []partner {
	var out []partner
	for _, s := range e.touching[class] {
		if !e.owns(s, class) {
			continue
		}
		best, found := false, false
		if s.wg.class == class && slices.Contains(kinds, KindDone) {
			best, found = true, true // WaitGroup.Go marks it done as the goroutine returns
		}
		if sum := e.summaryOf(s.fn); sum != nil {
			for _, op := range sum.Chans {
				if slices.Contains(kinds, op.Kind) && s.actsOn(e, op, class) {
					found = true
					best = best || op.Must
				}
			}
		}
		if found {
			out = append(out, partner{site: s, must: best})
		}
	}
	return out
}

// owns reports whether the goroutines started at s are the owner's of the
// channel or WaitGroup class: "goroutines this code started" are those of
// the function that makes a channel (its class names the function), of a
// package-level variable's package, or, for a field of a type of the
// package, those that a method of the type or a function returning it
// starts, or whose function is a method of the type. A goroutine that
// merely acts on some value of the type elsewhere (another object's
// channel) is no partner to count on.
func (e *engine) owns(s *goSite, class string) bool {
	k := ownsKey{s, class}
	if o, ok := e.ownsMemo[k]; ok {
		return o
	}
	if e.ownsMemo == nil {
		e.ownsMemo = map[ownsKey]bool{}
	}
	o := e.ownsClass(s, class)
	e.ownsMemo[k] = o
	return o
}

// An ownsKey is a question to owns, which the code alone answers.
type ownsKey struct {
	site  *goSite
	class string
}

// ownsClass is owns, computed.
func (e *engine) ownsClass(s *goSite, class string) bool {
	prefix := e.pkg.Path() + "."
	if !strings.HasPrefix(class, prefix) {
		return false
	}
	rest := class[len(prefix):]
	if strings.Contains(rest, "$") && !strings.HasSuffix(rest, elemSuffix) {
		return true // a channel a function makes: the class is exact
	}
	typ, _, field := strings.Cut(rest, ".")
	if !field {
		return true // a package-level variable
	}
	for _, t := range e.holders(typ) {
		if ofType(s.fn, t) || ofType(s.instr.Parent(), t) || e.runsMethodOf(s, t) {
			return true
		}
	}
	return e.countsStart(s, class)
}

// runsMethodOf reports whether the goroutine of s is a closure that a
// method starts to run a method of the named type typ of the package, on
// a value the method holds (go func() { err := c.queue.Run(); … }() in
// a method of c's type), calling it statically or through an interface
// the call graph resolves.
func (e *engine) runsMethodOf(s *goSite, typ string) bool {
	fn := s.fn
	if fn.Parent() == nil {
		return false // a function of its own: ofType decides
	}
	starter := s.instr.Parent()
	for starter.Parent() != nil {
		starter = starter.Parent()
	}
	if starter.Signature.Recv() == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			for _, ce := range e.callees(c) {
				if r := ce.fn.Signature.Recv(); r != nil && ce.fn.Pkg == fn.Pkg && ofType(ce.fn, typ) {
					return true
				}
			}
		}
	}
	return false
}

// holders returns the named type typ of the package and the types of the
// package with a field of type typ or *typ: the state of a server kept in
// a struct of its own (s.sys.wg) belongs to the server.
func (e *engine) holders(typ string) []string {
	if hs, ok := e.holderTypes[typ]; ok {
		return hs
	}
	out := []string{typ}
	scope := e.pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || name == typ {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			if n, ok := types.Unalias(deref(st.Field(i).Type())).(*types.Named); ok && n.Obj().Pkg() == e.pkg && n.Obj().Name() == typ {
				out = append(out, name)
				break
			}
		}
	}
	if e.holderTypes == nil {
		e.holderTypes = map[string][]string{}
	}
	e.holderTypes[typ] = out
	return out
}

// ofType reports whether fn, or the function it is nested in or wraps (a
// bound method), is a method of the named type typ of its package or
// returns a value of it.
func ofType(fn *ssa.Function, typ string) bool {
	for fn != nil && fn.Parent() != nil {
		fn = fn.Parent()
	}
	fn = wrapped(fn)
	if fn == nil || fn.Signature == nil {
		return false
	}
	named := func(t types.Type) bool {
		n, ok := types.Unalias(deref(t)).(*types.Named)
		return ok && n.Obj().Name() == typ && fn.Pkg != nil && n.Obj().Pkg() == fn.Pkg.Pkg
	}
	if r := fn.Signature.Recv(); r != nil && named(r.Type()) {
		return true
	}
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if named(res.At(i).Type()) {
			return true
		}
	}
	return false
}

// A prefixKey names what a goroutine start does before its goroutine
// reaches an operation of the given kinds on a class.
type prefixKey struct {
	site  *goSite
	class string
	kinds string
}

// prefix returns the waits and locks that the goroutine of site may
// perform before it performs an operation of the kinds on class, stated
// where the goroutine is started: what a wait that this operation ends
// waits for. For a goroutine of another package it is all of its
// summary's waits and locks.
//
// ok is false while that prefix is being computed: a goroutine whose
// first steps wait for itself is no partner to count on.
func (e *engine) prefix(site *goSite, class string, kinds []Kind) (_ []Op, ok bool) {
	k := prefixKey{site, class, kindsKey(kinds)}
	if ops, ok := e.prefixes[k]; ok {
		return ops, true
	}
	if ops, ok := e.roundPrefixes[k]; ok {
		return ops, true
	}
	if e.prefixBusy[k] || len(e.prefixBusy) >= maxPrefixDepth {
		return nil, false
	}
	if e.prefixBusy == nil {
		e.prefixBusy = map[prefixKey]bool{}
	}
	e.prefixBusy[k] = true
	defer delete(e.prefixBusy, k)
	var ops []Op
	if !e.inPkg[site.fn] || len(site.fn.Blocks) == 0 {
		if s := e.summaryOf(site.fn); s != nil {
			ops = append(append(ops, s.Locks...), s.Waits...)
		}
	} else if ops, ok = e.walkPrefix(site, class, kinds); !ok {
		return nil, false
	}
	var out []Op
	for _, op := range ops {
		isLock := op.Kind.IsLock()
		t, _, ok := e.translateAt(site.args, op, isLock)
		if !ok {
			continue
		}
		if op.Kind == KindSend && op.Class == "" && op.Param >= 0 && e.room(t.Class) {
			continue // a send on the channel the start passes, which has room
		}
		out = append(out, t)
	}
	cache := &e.roundPrefixes
	if e.final[site.fn] {
		cache = &e.prefixes
	}
	if *cache == nil {
		*cache = map[prefixKey][]Op{}
	}
	(*cache)[k] = out
	return out, true
}

// maxPrefixDepth bounds how many goroutines' prefixes are computed inside
// one another: a wait that joins a goroutine that joins another, and so
// on.
const maxPrefixDepth = 8

func kindsKey(kinds []Kind) string {
	b := make([]byte, len(kinds))
	for i, k := range kinds {
		b[i] = byte(k)
	}
	return string(b)
}

// walkPrefix walks the goroutine's function and keeps what its blocks
// that can run before a block performing the operation do. An operation
// performed by a deferred call (defer wg.Done()) happens as the function
// returns: then every block counts.
func (e *engine) walkPrefix(site *goSite, class string, kinds []Kind) ([]Op, bool) {
	fn := site.fn
	w := e.blockWalk(fn)
	if w == nil {
		return nil, false
	}
	matches := func(op Op) bool { return slices.Contains(kinds, op.Kind) && site.actsOn(e, op, class) }
	// The first instruction of each block that performs the operation.
	first := map[*ssa.BasicBlock]int{}
	atReturn := site.wg.class == class
	for _, op := range w.deferred {
		atReturn = atReturn || matches(op)
	}
	var targets []*ssa.BasicBlock
	if !atReturn {
		for _, b := range fn.Blocks {
			for _, x := range w.blockOps[b] {
				if matches(x.op) {
					targets = append(targets, b)
					first[b] = x.index
					break
				}
			}
		}
	}
	var out []Op
	keep := func(op Op) {
		if op.Kind.IsLock() || op.End != 0 {
			out = append(out, op)
		}
	}
	for _, b := range fn.Blocks {
		// A block counts if it can run before a block that performs the
		// operation; in such a block, only what comes before it counts,
		// unless the block can run again (a loop).
		limit := len(b.Instrs)
		if !atReturn && len(targets) > 0 {
			others := slices.DeleteFunc(slices.Clone(targets), func(t *ssa.BasicBlock) bool { return t == b })
			if i, isTarget := first[b]; isTarget && !e.inLoop(b) && !reachesAny(b, others) {
				limit = i + 1
			} else if !isTarget && !reachesAny(b, targets) {
				continue
			}
		}
		for _, x := range w.blockOps[b] {
			if x.index < limit {
				keep(x.op)
			}
		}
	}
	for _, op := range w.deferred {
		keep(op)
	}
	return out, true
}

// blockWalk returns the walk of fn in walkPrefix mode, once its summary
// is final.
//
// It returns nil while that walk is under way (a goroutine whose walk
// needs its own walk: no partner to count on) or when too many are.
func (e *engine) blockWalk(fn *ssa.Function) *walker {
	if w, ok := e.blockWalks[fn]; ok {
		return w
	}
	if w, ok := e.roundWalks[fn]; ok {
		return w
	}
	if e.walkBusy[fn] || len(e.walkBusy) >= maxPrefixDepth {
		return nil
	}
	if e.walkBusy == nil {
		e.walkBusy = map[*ssa.Function]bool{}
	}
	e.walkBusy[fn] = true
	defer delete(e.walkBusy, fn)
	w := e.walk(fn, walkPrefix)
	if e.final[fn] {
		if e.blockWalks == nil {
			e.blockWalks = map[*ssa.Function]*walker{}
		}
		e.blockWalks[fn] = w
	} else {
		// Until its summary settles, a walk holds for the current round
		// of its cycle of functions.
		if e.roundWalks == nil {
			e.roundWalks = map[*ssa.Function]*walker{}
		}
		e.roundWalks[fn] = w
	}
	return w
}

// answers reports whether the goroutine of site, a service loop, answers
// every request it takes on one of the fed channels (with any set, on any
// channel: a WaitGroup counts the requests whoever sends them): from its
// receive of a request, every path that comes back to that receive or
// returns performs an operation of the kinds on class.
//
// It returns the classes of the requests answered, or nil: the waiter, or
// whoever counted them, sent those, so the goroutine's receives of them
// do not keep it waiting.
func (e *engine) answers(site *goSite, class string, kinds []Kind, fed []string, any bool) []string {
	if (len(fed) == 0 && !any) || !e.inPkg[site.fn] || len(site.fn.Blocks) == 0 {
		return nil
	}
	w := e.blockWalk(site.fn)
	if w == nil {
		return nil
	}
	var targets []*ssa.BasicBlock
	type request struct {
		at indexedAt
		op Op
	}
	var requests []request
	for _, b := range site.fn.Blocks {
		for _, x := range w.blockOps[b] {
			if slices.Contains(kinds, x.op.Kind) && site.actsOn(e, x.op, class) && !slices.Contains(targets, b) {
				targets = append(targets, b)
			}
			if x.op.Kind == KindRecv && !x.op.Select && (any || slices.ContainsFunc(fed, func(c string) bool { return site.actsOn(e, x.op, c) })) {
				requests = append(requests, request{indexedAt{b, x.index}, x.op})
			}
		}
	}
	var out []string
	for _, r := range requests {
		if !answeredFrom(r.at, targets, w.blockOps) {
			continue
		}
		if c := site.classOf(e, touch{class: r.op.Class, param: r.op.Param}); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// An indexedAt is an instruction by block and index.
type indexedAt struct {
	b     *ssa.BasicBlock
	index int
}

// answeredFrom reports whether every path from the request r that comes
// back to r's block or returns passes one of the target blocks (r's own
// block counts when the target operation comes after r in it).
func answeredFrom(r indexedAt, targets []*ssa.BasicBlock, ops map[*ssa.BasicBlock][]indexedOp) bool {
	if slices.Contains(targets, r.b) {
		for _, x := range ops[r.b] {
			if x.index > r.index {
				return true
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), takenSuccs(r)...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if slices.Contains(targets, x) || seen[x] {
			continue
		}
		if x == r.b {
			return false // back at the request without an answer
		}
		seen[x] = true
		if n := len(x.Instrs); n > 0 {
			if _, ok := x.Instrs[n-1].(*ssa.Return); ok {
				return false
			}
		}
		work = append(work, x.Succs...)
	}
	return true
}

// takenSuccs returns the blocks that run after the request r is taken:
// for a range loop's receive, only the branch where a value came.
func takenSuccs(r indexedAt) []*ssa.BasicBlock {
	if u, ok := r.b.Instrs[r.index].(*ssa.UnOp); ok && u.CommaOk {
		if iff, ok := r.b.Instrs[len(r.b.Instrs)-1].(*ssa.If); ok {
			if ex, ok := iff.Cond.(*ssa.Extract); ok && ex.Tuple == ssa.Value(u) && ex.Index == 1 {
				return r.b.Succs[:1]
			}
		}
	}
	return r.b.Succs
}

// reachesAny reports whether one of the blocks targets can run after
// block b.
func reachesAny(b *ssa.BasicBlock, targets []*ssa.BasicBlock) bool {
	for _, t := range targets {
		if reachable(b, t, nil) {
			return true
		}
	}
	return false
}

// translateAt restates a goroutine's Op where it is started, from the
// arguments of its start.
func (e *engine) translateAt(args []ssa.Value, op Op, isLock bool) (Op, string, bool) {
	t := op
	if len(op.Guard) > 0 {
		g, ok := translateGuard(op.Guard, args)
		if !ok {
			return t, "", false // the caller passes nil where the operation needs a value
		}
		t.Guard = g
	}
	t.Holder = holderIn(op, args, e)
	if op.Param < 0 {
		return t, t.Class, !isLock || t.Class != ""
	}
	t.Param, t.ByValue = -1, false
	if op.Param >= len(args) {
		return t, t.Class, !isLock || t.Class != ""
	}
	var p place
	if isLock || op.Name == waitGroupWait || op.Kind == KindDone {
		p = e.addrPlace(args[op.Param], 0)
	} else {
		p = e.chanPlace(args[op.Param], 0)
	}
	if p.local && isLock {
		return t, "", false
	}
	t.Param = p.param
	t.ByValue = op.ByValue && p.byValue
	if op.Class == "" {
		t.Class = p.class
		if p.short != "" && op.Kind != KindWait {
			t.Name = p.short // a wait in a call keeps the call's name
		}
	}
	if isLock && t.Class == "" && t.Param < 0 {
		return t, "", false
	}
	return t, p.key + "#" + t.Class, true
}

// holderIn restates op's Holder in the caller: the parameter, if any,
// that the argument for the callee's holder parameter is reached from by
// value.
func holderIn(op Op, args []ssa.Value, e *engine) int {
	if op.Holder == 0 || op.Holder > len(args) {
		return 0
	}
	if p := e.addrPlace(args[op.Holder-1], 0); p.param >= 0 && p.byValue {
		return p.param + 1
	}
	return 0
}

// goName names the goroutine function of a site for a witness.
func (e *engine) goName(s *goSite) string { return displayName(s.fn, e.pkg) }
