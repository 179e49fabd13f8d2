package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/ssa"
)

// engine holds the state of one package's analysis. The SSA form lives only
// as long as the engine: the Result keeps flat data, so the standalone
// driver, which keeps every Result to the end, does not keep every
// package's SSA.
type engine struct {
	funcKeys   map[*ssa.Function]string                    // memo of funcKey
	guardMemo  map[*ssa.Function]map[*ssa.BasicBlock][]int // memo of guards
	waiterSems map[*types.Named]bool                       // memo of waiterTypes
	cancels    map[string]string                           // memo of cancelFields
	ctxFields  map[string]bool                             // the contexts of cancelFields
	loopBlocks map[*ssa.Function]map[*ssa.BasicBlock]bool  // memo of inLoop
	flagPairs  map[string]bool                             // memo of flagPaired
	drained    map[string]bool                             // memo of drainedBeforePut
	callNames  map[*ssa.Function]string                    // memo of callName
	funcPaths  map[*ssa.Function]string                    // memo of pathOf
	ownsMemo   map[ownsKey]bool                            // memo of owns

	pass   *analysis.Pass
	fset   *token.FileSet
	pkg    *types.Package
	ssapkg *ssa.Package

	funcs    []*ssa.Function // with bodies, in a deterministic order
	inPkg    map[*ssa.Function]bool
	closures map[*ssa.Function]*ssa.MakeClosure
	dyn      map[ssa.CallInstruction][]*ssa.Function
	callers  map[*ssa.Function][]ssa.CallInstruction

	// marks holds the parameters each function marks close-on-exec
	// (see fdmarkparams.go).
	marks map[*ssa.Function][]int

	summaries map[*ssa.Function]*Summary
	final     map[*ssa.Function]bool // summaries at their fixed point
	chanFrom  map[string]string      // memo of importedChanFrom
	units     map[string]bool        // memo of givesUnit
	// unknown records that a judgment read the summary of a function of
	// the package that has none yet (the first round of a recursive
	// cycle): see judgeEnds.
	unknown   bool
	imported  map[*types.Func]*Summary
	held      map[string]Held
	sections  map[string]*Section
	notes     []string
	facts     bool // import and export facts
	names     map[*types.Func]string
	conds     map[string]string // Cond class → the lock class it releases
	condLockX *condLockIndex    // Conds used as locks
	phis      map[phiKey]place  // resolved φ-nodes (see phiPlace)
	phiBusy   map[phiKey]bool   // φ-nodes being resolved

	// The progress model's indexes (see progress.go).
	gos           []*goSite                               // every goroutine start of the package
	spawners      map[*ssa.Function][]int                 // functions that start what parameters give (see findSpawners)
	touching      map[string][]*goSite                    // class → starts whose goroutine may act on it
	deps          map[*ssa.Function][]*ssa.Function       // a waiter → the goroutine functions it may join
	prefixes      map[prefixKey][]Op                      // what partner goroutines do first (see prefix)
	prefixBusy    map[prefixKey]bool                      // prefixes being computed
	wgAdds        map[string]bool                         // WaitGroup classes the package adds to
	buffered      map[string]bool                         // channel classes made here, and whether with a buffer
	unbuffered    map[string]bool                         // channel classes made here without a buffer somewhere
	taken         map[*ssa.Function]bool                  // functions used as values
	blockWalks    map[*ssa.Function]*walker               // goroutines' operations block by block
	walkBusy      map[*ssa.Function]bool                  // block walks under way
	roundWalks    map[*ssa.Function]*walker               // block walks of this round of a cycle
	roundPrefixes map[prefixKey][]Op                      // prefixes of this round of a cycle
	holderTypes   map[string][]string                     // a type → the types that hold it in a field
	feeds         map[*ssa.Function][]feed                // what each function closes or sends on (see fed)
	feedsNow      map[*ssa.Function][]feed                // feeds while summaries stay as they are (see setSummary)
	chans         *chanIndex                              // channel operations and stores (see chanIndex)
	tokens        map[string]tokenDir                     // channels used as locks (see tokenClasses)
	rooms         *roomIndex                              // channels whose sends find room (see room.go)
	world         *worldIndex                             // deadlines on connections and clients (see world.go)
	storeX        *storeIndex                             // the stores of the package, by what they store into (see reach.go)
	returns       map[*ssa.Function][]heldParam           // the parameters a function's result holds (see returns.go)
	installX      map[string][]string                     // the root-installing std functions stored in each class (see indirect.go)
	fieldStores   map[*ssa.Function][]FieldStore          // the callback fields functions store their parameters into (see fieldstore.go)
	registrable   map[string]bool                         // unexported callback fields that an exported function stores into
	joins         *joinIndex                              // goroutine starts joined before their function returns (see join.go)
	forkHeld      map[token.Pos]ForkHold                  // the calls made while syscall.ForkLock is held (see forkhold.go)
	callSites     map[*ssa.Function][]ssa.CallInstruction // the calls of functions only ever called (see calledOnly)
	callStarts    map[token.Pos]token.Pos                 // a call's left parenthesis → its start (see callStart)
	directives    []*directive                            // the package's //finalock:ignore directives (see ignoredAt)

	// The whole program the package belongs to, when it is analysed as
	// part of one (see program.go), the callees of its dynamic calls in
	// packages analysed after it, and the summaries of other packages'
	// functions read from it.
	whole     *Program
	forward   []*ssa.Function
	wholeSums map[*ssa.Function]*Summary
}

func newEngine(pass *analysis.Pass, facts bool) *engine {
	return &engine{
		pass: pass, fset: pass.Fset, pkg: pass.Pkg, facts: facts,
		inPkg: map[*ssa.Function]bool{}, closures: map[*ssa.Function]*ssa.MakeClosure{},
		dyn: map[ssa.CallInstruction][]*ssa.Function{}, callers: map[*ssa.Function][]ssa.CallInstruction{},
		summaries: map[*ssa.Function]*Summary{}, final: map[*ssa.Function]bool{}, imported: map[*types.Func]*Summary{},
		held: map[string]Held{}, sections: map[string]*Section{},
		whole: programOf(pass.Pkg),
	}
}

// fullName returns obj.FullName(), computed once per function.
func (e *engine) fullName(obj *types.Func) string {
	if n, ok := e.names[obj]; ok {
		return n
	}
	if e.names == nil {
		e.names = map[*types.Func]string{}
	}
	n := obj.FullName()
	e.names[obj] = n
	return n
}

func (e *engine) note(format string, args ...any) {
	e.notes = append(e.notes, fmt.Sprintf(format, args...))
}

// build constructs the package's SSA form and the list of its functions.
func (e *engine) build() {
	prog := ssa.NewProgram(e.fset, ssa.InstantiateGenerics)
	for _, p := range e.pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}
	e.ssapkg = prog.CreatePackage(e.pkg, e.pass.Files, e.pass.TypesInfo, false)
	e.ssapkg.Build()

	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		if fn == nil || e.inPkg[fn] || len(fn.Blocks) == 0 {
			return
		}
		e.inPkg[fn] = true
		e.funcs = append(e.funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, f := range e.pass.Files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok {
				if obj, ok := e.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					add(prog.FuncValue(obj))
				}
			}
		}
	}
	add(e.ssapkg.Func("init"))
	// Functions the package's code refers to and that have bodies here:
	// wrappers, thunks and generic instances.
	for i := 0; i < len(e.funcs); i++ {
		for _, b := range e.funcs[i].Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					if fn, ok := mc.Fn.(*ssa.Function); ok {
						if _, dup := e.closures[fn]; !dup {
							e.closures[fn] = mc
						}
					}
				}
				for _, op := range instr.Operands(nil) {
					if fn, ok := (*op).(*ssa.Function); ok {
						add(fn)
					}
				}
			}
		}
	}
}

// hasBody reports whether the engine reads fn's body: a function of the
// package's own SSA form. A function of the whole program's (see
// forwardCalls) is known by its summary only.
func (e *engine) hasBody(fn *ssa.Function) bool {
	return len(fn.Blocks) > 0 && fn.Prog == e.ssapkg.Prog
}

// buildCallGraph resolves the package's dynamic calls with VTA and
// indexes callers. Static calls are read off the SSA directly.
func (e *engine) buildCallGraph() {
	e.ownCalls()
	if e.whole != nil {
		e.forwardCalls()
	}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok {
					for _, ce := range e.callees(c) {
						if e.inPkg[ce.fn] {
							e.callers[ce.fn] = append(e.callers[ce.fn], c)
						}
						// Roots are found in the origin of a generic
						// function (see localInstance), so a call of an
						// instance is a call of its origin too.
						if e.localInstance(ce.fn) {
							o := ce.fn.Origin()
							e.callers[o] = append(e.callers[o], c)
						}
					}
				}
			}
		}
	}
}

// forwardCalls adds to the package's dynamic calls the callees that the
// whole program finds in packages analysed after this one (see Program):
// implementations that the package cannot see, at calls of a value
// loaded from a package-level variable (gfx.ctx.Do(f), after the
// program's gfx.Use(loop)). The other callees are what the package's own
// call graph finds, as in the modular mode.
//
// A package variable holds one value for the whole program, so what is
// stored there may be there at every call. A struct field is one per
// object: a call-graph algorithm that merges the values of every object
// of a type (VTA does) would make the fifo one command gives its logger
// the output of every logger of the module. What a callback field holds
// is followed by the callback facts, in both modes.
func (e *engine) forwardCalls() {
	if len(e.whole.dyn) == 0 {
		return
	}
	seen := map[*ssa.Function]bool{}
	for _, fn := range e.funcs {
		var id *funcID
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok || c.Common().StaticCallee() != nil {
					continue
				}
				if field, _ := funcField(c.Common().Value); field != "" {
					continue
				}
				var add []*ssa.Function
				if id == nil {
					x := idOf(fn)
					id = &x
				}
				for _, g := range e.whole.callees(*id, c) {
					if e.later(g) {
						add = append(add, g)
						if !seen[g] {
							seen[g] = true
							e.forward = append(e.forward, g)
						}
					}
				}
				if len(add) > 0 {
					fns := append(e.dyn[c], add...)
					e.sortFuncs(fns)
					e.dyn[c] = slices.Compact(fns)
				}
			}
		}
	}
}

// later reports whether fn belongs to a package analysed after the
// package, one that does not import it: its summary comes from the
// whole program's first run (see Program).
func (e *engine) later(fn *ssa.Function) bool {
	if fn.Pkg == nil || fn.Pkg.Pkg == e.pkg || isStd(fn.Pkg.Pkg.Path()) {
		return false
	}
	return !e.whole.depends(e.pkg, fn.Pkg.Pkg)
}

// ownCalls resolves the package's dynamic calls with VTA over the
// package's own functions.
func (e *engine) ownCalls() {
	dynamic, effects := false, false
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok {
					if _, builtin := c.Common().Value.(*ssa.Builtin); !builtin && c.Common().StaticCallee() == nil {
						dynamic = true
					}
				}
				effects = effects || e.effect(instr)
			}
		}
	}
	// Resolving dynamic calls matters only where some function could do
	// something finalock tracks: a package with no lock, wait, channel
	// operation, goroutine start or root anywhere in its code or in what
	// it calls gets the same summaries without VTA (allocations aside,
	// which nearly every function makes directly).
	if dynamic && effects {
		e.runVTA()
	}
}

// effect reports whether instr may lock, wait, use a channel, start a
// goroutine or register a root, directly or through what it calls by
// name, or names a std function that does as a value.
func (e *engine) effect(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.Send, *ssa.Select, *ssa.Go:
		return true
	case *ssa.UnOp:
		return x.Op == token.ARROW
	}
	for _, op := range instr.Operands(nil) {
		fn, ok := (*op).(*ssa.Function)
		if !ok || e.inPkg[fn] {
			continue
		}
		obj := funcObject(fn)
		if obj == nil || obj.Pkg() == nil {
			continue
		}
		full := e.fullName(obj)
		if isStd(obj.Pkg().Path()) {
			if _, world := worldCalls[full]; lockCalls[full] != 0 || unlockCalls[full] || world || goCalls[full] ||
				full == condWait || full == waitGroupWait || full == wgDone ||
				full == notifyFunc || full == notifyContextFunc {
				return true
			}
			if _, ok := finalizerCalls[full]; ok {
				return true
			}
			continue
		}
		if s := e.summaryOf(fn); s != nil && len(s.Locks)+len(s.Waits)+len(s.Chans)+len(s.Go)+len(s.Holds)+len(s.Releases)+len(s.Finalizes) > 0 {
			return true
		}
	}
	if b, ok := instr.(ssa.CallInstruction); ok {
		if bi, ok := b.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" {
			return true
		}
	}
	return false
}

func (e *engine) runVTA() {
	defer func() {
		if r := recover(); r != nil {
			e.note("call graph: VTA failed (%v); dynamic calls are not followed", r)
			e.dyn = map[ssa.CallInstruction][]*ssa.Function{}
		}
	}()
	set := make(map[*ssa.Function]bool, len(e.funcs))
	for _, fn := range e.funcs {
		set[fn] = true
	}
	// VTA only resolves a dynamic call to a function of the set, so the
	// functions of other packages that this package uses as values
	// (var setFinalizer = runtime.SetFinalizer) join it, without bodies.
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var ops [8]*ssa.Value
				for _, op := range instr.Operands(ops[:0]) {
					if g, ok := (*op).(*ssa.Function); ok && !set[g] {
						set[g] = true
					}
				}
			}
		}
	}
	cg := vta.CallGraph(set, nil)
	for _, fn := range e.funcs {
		node := cg.Nodes[fn]
		if node == nil {
			continue
		}
		for _, edge := range node.Out {
			if edge.Site == nil || edge.Site.Common().StaticCallee() != nil || edge.Callee.Func == nil {
				continue
			}
			e.dyn[edge.Site] = append(e.dyn[edge.Site], edge.Callee.Func)
		}
	}
	for site, fns := range e.dyn {
		e.sortFuncs(fns)
		out := fns[:0]
		for i, fn := range fns {
			if i == 0 || fn != fns[i-1] {
				out = append(out, fn)
			}
		}
		e.dyn[site] = out
	}
}

// funcKey is the sort key of fn: its name, then its position.
func (e *engine) funcKey(fn *ssa.Function) string {
	if k, ok := e.funcKeys[fn]; ok {
		return k
	}
	if e.funcKeys == nil {
		e.funcKeys = map[*ssa.Function]string{}
	}
	k := fmt.Sprintf("%s@%d", fn.String(), fn.Pos())
	e.funcKeys[fn] = k
	return k
}

// sortFuncs orders fns by funcKey.
func (e *engine) sortFuncs(fns []*ssa.Function) {
	sort.Slice(fns, func(i, j int) bool { return e.funcKey(fns[i]) < e.funcKey(fns[j]) })
}

// callees returns the functions a call may reach: the static callee, or
// the dynamic callees the call graph resolved.
//
// A std function that calls a function it is given before it returns
// (pprof.Do, sync.Once.Do) reaches that function too, as an invoked
// callee: it is called with arguments of its own, not the call's.
func (e *engine) callees(c ssa.CallInstruction) []callee {
	if fn := c.Common().StaticCallee(); fn != nil {
		out := []callee{{fn: fn}}
		if obj := funcObject(fn); obj != nil && obj.Pkg() != nil && isStd(obj.Pkg().Path()) {
			if i, ok := invokeCalls[e.fullName(obj)]; ok {
				if args := callArgs(c.Common()); i < len(args) {
					for _, g := range e.funcValues(args[i], 0) {
						out = append(out, callee{fn: g, invoked: true})
					}
				}
			}
		}
		return out
	}
	fns := e.dyn[c]
	out := make([]callee, len(fns))
	for i, fn := range fns {
		out[i] = callee{fn: fn, dynamic: true}
	}
	return out
}

func (e *engine) local(fn *ssa.Function) bool { return e.inPkg[fn] }

// summaryOf returns what calling fn does: computed here for the package's
// own functions, from facts for other packages, nil when unknown.
func (e *engine) summaryOf(fn *ssa.Function) *Summary {
	if e.inPkg[fn] {
		s, ok := e.summaries[fn]
		if !ok {
			e.unknown = true
		}
		return s
	}
	obj := funcObject(fn)
	if obj == nil || obj.Pkg() == nil || isStd(obj.Pkg().Path()) || !e.facts {
		if e.whole != nil && obj == nil {
			return e.wholeSummary(fn)
		}
		return nil
	}
	if s, ok := e.imported[obj]; ok {
		return s
	}
	s := new(Summary)
	if !e.pass.ImportObjectFact(obj, s) {
		s = nil
		if e.whole != nil {
			s = e.wholeSummary(fn)
		}
	}
	e.imported[obj] = s
	return s
}

// wholeSummary returns the summary of fn, a function of a package
// analysed after this one (see forwardCalls): the first run's, none in
// the first run.
func (e *engine) wholeSummary(fn *ssa.Function) *Summary {
	if fn.Prog == e.ssapkg.Prog || !e.whole.second {
		return nil
	}
	if s, ok := e.wholeSums[fn]; ok {
		return s
	}
	s := e.whole.later(fn)
	if e.wholeSums == nil {
		e.wholeSums = map[*ssa.Function]*Summary{}
	}
	e.wholeSums[fn] = s
	return s
}

// maxRounds bounds the fixpoint iteration of a recursive cycle of
// functions; a cycle that has not settled by then says so in a note.
const maxRounds = 4

// summarize computes every function's summary, callees (and the
// goroutines a function may join) first; the functions of a recursive
// cycle are iterated to a fixed point. Which mark a parameter
// close-on-exec (Summary.Marks) comes first, and which start a process
// (Summary.Starts) last.
func (e *engine) summarize() {
	e.markParams()
	for _, scc := range e.sccs() {
		if len(scc) == 1 && !e.selfDep(scc[0]) {
			e.setSummary(scc[0], e.analyzeFunc(scc[0], true))
			e.settle(scc)
			continue
		}
		settled := false
		users := e.users(scc)
		var changed map[*ssa.Function]bool
		for round := 0; round < maxRounds && !settled; round++ {
			e.roundWalks, e.roundPrefixes = nil, nil
			e.forgetJoins()
			settled = true
			stale := e.stale(scc, users, changed)
			changed = map[*ssa.Function]bool{}
			for _, fn := range scc {
				if stale != nil && !stale[fn] {
					continue
				}
				s := e.analyzeFunc(fn, false)
				if old, ok := e.summaries[fn]; !ok || round == 0 || !old.same(s) {
					settled = false
					changed[fn] = true
				}
				e.setSummary(fn, s)
			}
		}
		if !settled {
			e.note("%s: summaries of %d mutually recursive functions not settled after %d rounds (limit); they may miss effects", funcPath(scc[0]), len(scc), maxRounds)
		}
		e.roundWalks, e.roundPrefixes = nil, nil
		e.forgetJoins()
		for _, fn := range scc {
			e.setSummary(fn, e.analyzeFunc(fn, true))
		}
		e.roundWalks, e.roundPrefixes = nil, nil
		e.forgetJoins()
		e.settle(scc)
	}
	e.processStarts()
}

// setSummary sets fn's summary. What was computed from the summaries
// as they were (feedsNow) goes.
func (e *engine) setSummary(fn *ssa.Function, s *Summary) {
	s.Marks = e.marks[fn]
	e.summaries[fn] = s
	e.feedsNow = nil
}

// settle marks the summaries of scc final.
func (e *engine) settle(scc []*ssa.Function) {
	for _, fn := range scc {
		e.final[fn] = true
	}
}

// selfDep reports whether fn calls itself or may join itself.
func (e *engine) selfDep(fn *ssa.Function) bool {
	for _, c := range e.callers[fn] {
		if c.Parent() == fn {
			return true
		}
	}
	for _, g := range e.deps[fn] {
		if g == fn {
			return true
		}
	}
	return false
}

// sccs returns the strongly connected components of the package's call
// graph, callees before callers (Tarjan's algorithm). A goroutine is not
// called, but a function that may join it (see orderJoins) needs its
// summary first.
func (e *engine) sccs() [][]*ssa.Function {
	index := map[*ssa.Function]int{}
	low := map[*ssa.Function]int{}
	onStack := map[*ssa.Function]bool{}
	var stack []*ssa.Function
	var out [][]*ssa.Function
	next := 0
	var visit func(fn *ssa.Function)
	edge := func(fn, g *ssa.Function) {
		if !e.inPkg[g] {
			return
		}
		if _, seen := index[g]; !seen {
			visit(g)
			low[fn] = min(low[fn], low[g])
		} else if onStack[g] {
			low[fn] = min(low[fn], index[g])
		}
	}
	visit = func(fn *ssa.Function) {
		index[fn], low[fn] = next, next
		next++
		stack = append(stack, fn)
		onStack[fn] = true
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				for _, ce := range e.callees(c) {
					edge(fn, ce.fn)
				}
			}
		}
		for _, g := range e.deps[fn] {
			edge(fn, g)
		}
		if low[fn] == index[fn] {
			var scc []*ssa.Function
			for {
				g := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[g] = false
				scc = append(scc, g)
				if g == fn {
					break
				}
			}
			out = append(out, scc)
		}
	}
	for _, fn := range e.funcs {
		if _, seen := index[fn]; !seen {
			visit(fn)
		}
	}
	return out
}

// exportSummaries exports the summary of every declared function of the
// package that does something and that another package can call by name.
// An unexported function is reached from other packages only through the
// exported functions that call it, whose summaries already contain what
// it does, so its fact would never be read.
func (e *engine) exportSummaries() {
	for _, fn := range e.funcs {
		if fn.Synthetic != "" || fn.Parent() != nil {
			continue
		}
		obj, ok := fn.Object().(*types.Func)
		if !ok || obj.Pkg() != e.pkg || obj.Origin() != obj || !obj.Exported() {
			continue
		}
		if fn.Origin() != nil && fn.Origin() != fn {
			continue
		}
		if keeps := e.keepsOf(fn); len(keeps) > 0 {
			s := e.summaries[fn]
			if s == nil {
				s = new(Summary)
				e.summaries[fn] = s
			}
			s.Keeps = keeps
		}
		if s := e.summaries[fn]; s != nil && !s.empty() {
			e.pass.ExportObjectFact(obj, s)
		}
	}
}

func (e *engine) addHeld(h Held) {
	k := h.Class + "\x00" + opKey(h.Op)
	if old, ok := e.held[k]; ok && !better(h.Op, old.Op) && !(len(h.Op.Chain) == len(old.Op.Chain) && whereKey(h) < whereKey(old)) {
		return
	}
	e.held[k] = h
}

func (e *engine) addSection(fn *ssa.Function, h heldLock, op Op, pos token.Pos) {
	if h.op.Class == "" {
		return
	}
	k := fmt.Sprintf("%s|%d|%s", funcPath(fn), h.at, h.key)
	s := e.sections[k]
	if s == nil {
		s = &Section{Lock: h.op, LockPos: h.at, Func: displayName(fn, e.pkg)}
		e.sections[k] = s
	}
	// The first allocation is the one earliest in the file; one without a
	// position (an implicit conversion) is first only if none has one.
	if s.Allocs == 0 || (pos.IsValid() && (!s.AllocPos.IsValid() || pos < s.AllocPos)) {
		s.First, s.AllocPos = op, pos
	}
	s.Allocs++
}

// calls yields every call and defer of the package's functions, in order
// (goroutine starts are left out: their callees run elsewhere), skipping
// local instances of generic functions.
func (e *engine) calls(yield func(ssa.CallInstruction) bool) {
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
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				if !yield(c) {
					return
				}
			}
		}
	}
}

// allStores yields every store instruction of the package's functions.
func (e *engine) allStores(yield func(*ssa.Store) bool) {
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok && !yield(st) {
					return
				}
			}
		}
	}
}
