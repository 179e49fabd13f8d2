package analyzer

import (
	"go/token"
	"go/types"
	"reflect"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// A Program is the whole-program view of the packages a driver loaded
// (semantics.md §6): one SSA form of every package outside the standard
// library, and what its package-level variables of interface and func
// type hold (see globalFlow), so that a call of such a variable reaches
// the implementations the program stores there, in any package, not only
// those the package making the call can see.
//
// The engine still summarises one package at a time, callees' packages
// first, with facts. A dynamic call resolved to a function of a package
// analysed later (an implementation in a package that imports the
// caller's) needs a summary that does not exist yet: Analyze therefore
// runs twice. The first run computes every summary; the second one reads
// the first run's summaries of those functions, recomputes only the
// packages that call them (and the packages whose imports' facts the
// second run changed), and hands every other package the first run's
// result and facts.
type Program struct {
	prog *ssa.Program
	pkgs map[*types.Package]*ssa.Package // the packages with bodies
	dyn  map[siteID][]*ssa.Function      // the callees of each dynamic call
	// callee holds the packages of the callees of dyn: only their
	// summaries are read from the first run.
	callee map[*types.Package]bool

	mu         sync.Mutex
	second     bool                                       // the second run is under way
	sums       map[funcID]*Summary                        // the first run's summaries
	firsts     map[*types.Package]*firstRun               // what the first run did, by package
	changedObj map[types.Object]bool                      // objects whose second-run facts differ
	changedPkg map[*types.Package]bool                    // packages whose second-run package facts differ
	again      int                                        // packages the second run analysed again
	deps       map[*types.Package]map[*types.Package]bool // memo of depends
}

// A firstRun is what the first run of Analyze made of one package.
type firstRun struct {
	res     *Result
	facts   []exported      // the facts it exported, in order
	forward []*ssa.Function // callees of its dynamic calls in packages analysed after it
	reads   []types.Object  // the objects whose facts it asked for
}

// An exported fact: obj is nil for a package fact.
type exported struct {
	obj  types.Object
	fact analysis.Fact
}

// NewProgram builds the SSA form of pkgs and of every package they
// import, bodies for the packages outside the standard library, and the
// call graph. It returns nil when the program cannot be built (an
// import that did not load): the driver then analyses package by package.
func NewProgram(pkgs []*packages.Package) (p *Program) {
	defer func() {
		if recover() != nil {
			p = nil
		}
	}()
	if len(pkgs) == 0 {
		return nil
	}
	p = &Program{
		prog:       ssa.NewProgram(pkgs[0].Fset, ssa.InstantiateGenerics),
		pkgs:       map[*types.Package]*ssa.Package{},
		dyn:        map[siteID][]*ssa.Function{},
		callee:     map[*types.Package]bool{},
		sums:       map[funcID]*Summary{},
		firsts:     map[*types.Package]*firstRun{},
		changedObj: map[types.Object]bool{},
		changedPkg: map[*types.Package]bool{},
		deps:       map[*types.Package]map[*types.Package]bool{},
	}
	ok := true
	var order []*packages.Package
	packages.Visit(pkgs, nil, func(lp *packages.Package) {
		if lp.Types == nil || lp.TypesInfo == nil || lp.IllTyped {
			ok = false
			return
		}
		if isStd(lp.PkgPath) || runtimeInternal(lp.PkgPath) {
			p.prog.CreatePackage(lp.Types, nil, nil, true)
			return
		}
		p.pkgs[lp.Types] = p.prog.CreatePackage(lp.Types, lp.Syntax, lp.TypesInfo, true)
		order = append(order, lp)
	})
	if !ok {
		return nil
	}
	p.buildCallGraph(p.buildWiring(order))
	return p
}

// buildCallGraph resolves the calls of what package-level variables hold
// (see globalFlow) in funcs.
func (p *Program) buildCallGraph(funcs []*ssa.Function) {
	flow := newGlobalFlow(funcs)
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok || c.Common().StaticCallee() != nil {
					continue
				}
				g := loadedGlobal(c.Common().Value)
				if g == nil {
					continue
				}
				var out []*ssa.Function
				for _, src := range flow.sources(g) {
					if !p.wires(src.from, fn) {
						continue
					}
					switch {
					case src.fn != nil && !c.Common().IsInvoke():
						out = append(out, src.fn)
					case src.typ != nil && c.Common().IsInvoke():
						m := c.Common().Method
						if sel := p.prog.MethodSets.MethodSet(src.typ).Lookup(m.Pkg(), m.Name()); sel != nil {
							out = append(out, p.prog.MethodValue(sel))
						}
					}
				}
				if len(out) > 0 {
					k := siteOf(fn, c)
					p.dyn[k] = append(p.dyn[k], out...)
					for _, g := range out {
						if g.Pkg != nil {
							p.callee[g.Pkg.Pkg] = true
						}
					}
				}
			}
		}
	}
	// The engine reads the whole program's functions by their names and
	// summaries only: their bodies go, and with them most of the memory
	// the whole program's SSA form takes.
	for _, fn := range funcs {
		fn.Blocks, fn.Recover, fn.Locals = nil, nil, nil
	}
}

// wires reports whether a value made in from, stored into a package
// variable that fn calls, is the program's: made in a main package that
// imports fn's. A library's init that registers an implementation into
// another library's variable (grpclog's glogger) does so only in the
// binaries that link it, which the variable's package cannot know.
func (p *Program) wires(from, fn *ssa.Function) bool {
	if from == nil || from.Pkg == nil || fn.Pkg == nil || from.Pkg.Pkg.Name() != "main" {
		return false
	}
	return from.Pkg == fn.Pkg || p.depends(from.Pkg.Pkg, fn.Pkg.Pkg)
}

// Analyze runs analyzers on pkgs as checker.Analyze does, over the whole
// program (see Program). The first run is the answer when no package
// calls into a later one's function that does anything; the second run
// is made only otherwise.
func (p *Program) Analyze(analyzers []*analysis.Analyzer, pkgs []*packages.Package) (*checker.Graph, error) {
	programMu.Lock()
	defer programMu.Unlock()
	whole.Store(p)
	defer whole.Store(nil)
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil || !p.stale() {
		return graph, err
	}
	p.second = true
	return checker.Analyze(analyzers, pkgs, nil)
}

// stale reports whether the first run's analysis of some package missed
// what a function of a later package does.
func (p *Program) stale() bool {
	for _, first := range p.firsts {
		for _, fn := range first.forward {
			if s := p.later(fn); s != nil && !s.empty() {
				return true
			}
		}
	}
	return false
}

// Again returns how many packages the second run of Analyze analysed
// again, and how many the first one analysed.
func (p *Program) Again() (again, all int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.again, len(p.firsts)
}

// programMu makes whole-program analyses run one at a time: the engine
// finds the Program of the packages it is given in whole.
var (
	programMu sync.Mutex
	whole     atomic.Pointer[Program]
)

// programOf returns the Program that holds pkg's body, or nil when pkg
// is analysed on its own.
func programOf(pkg *types.Package) *Program {
	p := whole.Load()
	if p == nil || p.pkgs[pkg] == nil {
		return nil
	}
	return p
}

// depends reports whether pkg imports dep, directly or not.
func (p *Program) depends(pkg, dep *types.Package) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	d, ok := p.deps[pkg]
	if !ok {
		d = map[*types.Package]bool{}
		var walk func(q *types.Package)
		walk = func(q *types.Package) {
			for _, imp := range q.Imports() {
				if !d[imp] {
					d[imp] = true
					walk(imp)
				}
			}
		}
		walk(pkg)
		p.deps[pkg] = d
	}
	return d[dep]
}

// A siteID names a call the same way in the whole program's SSA form
// and in a package's own: by its function and position.
type siteID struct {
	fn  funcID
	pos token.Pos
}

// siteOf returns the siteID of the call c of fn.
func siteOf(fn *ssa.Function, c ssa.CallInstruction) siteID {
	return siteID{idOf(fn), c.Pos()}
}

// A funcID names a function the same way in the whole program's SSA
// form and in a package's own: by its package (a test variant is a
// package of its own), name and position.
type funcID struct {
	pkg  *types.Package
	name string
	pos  token.Pos
}

// idOf returns fn's funcID.
func idOf(fn *ssa.Function) funcID {
	id := funcID{name: fn.String(), pos: fn.Pos()}
	if fn.Pkg != nil {
		id.pkg = fn.Pkg.Pkg
	}
	return id
}

// callees returns the whole program's callees of the dynamic call c of
// the function named id, a function of a package's own SSA form.
func (p *Program) callees(id funcID, c ssa.CallInstruction) []*ssa.Function {
	return p.dyn[siteID{id, c.Pos()}]
}

// later returns the first run's summary of fn, of a package analysed
// after the one asking, for what a dynamic call of it does: its waits,
// locks, channel operations, goroutines and process effects, which the
// caller's package cannot see. Left out: the allocations that nearly
// every function makes, what its result keeps and the roots it installs
// (read at static calls only), and the callback fields it calls or fills
// (the callback facts follow them, in both modes).
func (p *Program) later(fn *ssa.Function) *Summary {
	p.mu.Lock()
	s := p.sums[idOf(fn)]
	p.mu.Unlock()
	if s == nil || len(s.Alloc)+len(s.Keeps)+len(s.Calls)+len(s.Stores)+len(s.Installs) == 0 {
		return s
	}
	c := *s
	c.Alloc, c.Keeps, c.Calls, c.Stores, c.Installs = nil, nil, nil, nil, nil
	return &c
}

// runPackage is the engine's Run for a package of p: the package's
// analysis in the run under way, or, in the second run, the first run's
// when nothing it read has changed since.
func (p *Program) runPackage(pass *analysis.Pass) (any, error) {
	pkg := pass.Pkg
	p.mu.Lock()
	first := p.firsts[pkg]
	p.mu.Unlock()
	if p.second && first != nil && p.clean(pkg, first) {
		for _, x := range first.facts {
			if x.obj == nil {
				pass.ExportPackageFact(x.fact)
			} else {
				pass.ExportObjectFact(x.obj, x.fact)
			}
		}
		return first.res, nil
	}
	var facts []exported
	rec := *pass
	rec.ExportObjectFact = func(obj types.Object, f analysis.Fact) {
		facts = append(facts, exported{obj, f})
		pass.ExportObjectFact(obj, f)
	}
	rec.ExportPackageFact = func(f analysis.Fact) {
		facts = append(facts, exported{nil, f})
		pass.ExportPackageFact(f)
	}
	var reads []types.Object
	rec.ImportObjectFact = func(obj types.Object, f analysis.Fact) bool {
		reads = append(reads, obj)
		return pass.ImportObjectFact(obj, f)
	}
	if p.second {
		p.mu.Lock()
		p.again++
		p.mu.Unlock()
	}
	res := &Result{}
	e := analyze(&rec, res, true)
	if res.err != nil {
		return nil, res.err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.second {
		if p.callee[pkg] {
			for fn, s := range e.summaries {
				p.sums[idOf(fn)] = s
			}
		}
		p.firsts[pkg] = &firstRun{res: res, facts: facts, forward: e.forward, reads: reads}
	} else if first == nil {
		p.changedPkg[pkg] = true
	} else {
		p.compare(pkg, first.facts, facts)
	}
	return res, nil
}

// compare records which facts of pkg the second run changed: the object
// facts one by one, the package facts together.
func (p *Program) compare(pkg *types.Package, before, after []exported) {
	type key struct {
		obj types.Object
		typ reflect.Type
	}
	index := func(list []exported) map[key]analysis.Fact {
		m := map[key]analysis.Fact{}
		for _, x := range list {
			m[key{x.obj, reflect.TypeOf(x.fact)}] = x.fact
		}
		return m
	}
	b, a := index(before), index(after)
	for k, f := range a {
		if !reflect.DeepEqual(f, b[k]) {
			if k.obj == nil {
				p.changedPkg[pkg] = true
			} else {
				p.changedObj[k.obj] = true
			}
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			if k.obj == nil {
				p.changedPkg[pkg] = true
			} else {
				p.changedObj[k.obj] = true
			}
		}
	}
}

// clean reports whether the second run can take the first run's analysis
// of pkg: no dynamic call of pkg reaches a function of a later package
// that does anything, and the facts that the first run read, of the
// functions it called and of the packages it imports (which merge their
// own imports'), are unchanged.
func (p *Program) clean(pkg *types.Package, first *firstRun) bool {
	for _, fn := range first.forward {
		if s := p.later(fn); s != nil && !s.empty() {
			return false
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, obj := range first.reads {
		if p.changedObj[obj] {
			return false
		}
	}
	for _, imp := range pkg.Imports() {
		if p.changedPkg[imp] {
			return false
		}
	}
	return true
}
