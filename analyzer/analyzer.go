// Package analyzer is finalock's engine: one analysis that finds the roots
// (finalizers, cleanups, signal handlers), summarises every function of a
// package over its SSA form and call graph, exports the summaries as facts,
// and hands the passes a Result to query.
package analyzer

import (
	"fmt"
	"go/types"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Analyzer is the engine. It reports nothing itself; the passes in
// finalock/passes require it.
var Analyzer = &analysis.Analyzer{
	Name:       "finalock",
	Doc:        "finalock's engine: roots, call graphs and function summaries shared by its passes",
	URL:        "https://github.com/finalock/finalock",
	Run:        run,
	ResultType: reflect.TypeOf((*Result)(nil)),
	FactTypes:  []analysis.Fact{new(Summary), new(Tables), new(Callbacks)},
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{}
	if runtimeInternal(pass.Pkg.Path()) {
		// The runtime's own code runs below the level finalock models
		// (its locks are not sync locks, its allocator starts the
		// collector); what finalock knows about it is in the std table.
		return res, nil
	}
	if isStd(pass.Pkg.Path()) {
		// finalock never uses facts of the standard library (its table
		// says what finalock must know about std), so a std package is
		// analysed only when a pass asks, that is, when std is what the
		// user asked to check.
		res.compute = func() { analyze(pass, res, false) }
		return res, nil
	}
	if p := programOf(pass.Pkg); p != nil {
		return p.runPackage(pass)
	}
	analyze(pass, res, true)
	if res.err != nil {
		return nil, res.err
	}
	return res, nil
}

// InitOf names the initialization of package path in a witness.
func InitOf(path string) string { return "init of " + path }

// runtimeInternal reports whether path is the runtime or one of its
// internal packages.
func runtimeInternal(path string) bool {
	return path == "runtime" || strings.HasPrefix(path, "internal/runtime/") || strings.HasPrefix(path, "runtime/internal/")
}

// analyze fills res for the package of pass and returns the engine that
// did. With facts set it imports and exports facts (it must then run
// inside the engine's own Run).
func analyze(pass *analysis.Pass, res *Result, facts bool) (e *engine) {
	defer func() {
		if r := recover(); r != nil {
			res.err = fmt.Errorf("finalock: internal error analysing %s: %v\n%s", pass.Pkg.Path(), r, debug.Stack())
		}
	}()
	e = newEngine(pass, facts)
	e.build()
	e.buildCallGraph()
	e.findGoSites()
	e.findStores()
	e.summarize()
	e.attachStores()
	res.deathsig = e.deathsigs()
	if ForkRelevant(pass.Pkg, pass.Files) {
		res.started = e.startedBefore()
		res.forkHeld = e.forkHeld
		res.rawForks = e.rawForks()
	}
	res.roots = append(e.findRoots(), e.findSignalRoots()...)
	if facts {
		// What calling each function installs goes into its summary
		// before the summaries are exported.
		e.attachInstalls(res.roots)
		res.installed = e.installRoots()
		e.exportSummaries()
	}
	res.roots = append(res.roots, e.callbackRoots(e.exchangeCallbacks(res.roots))...)
	sort.SliceStable(res.roots, func(i, j int) bool { return e.posLess(res.roots[i].Pos, res.roots[j].Pos) })
	sort.SliceStable(res.installed, func(i, j int) bool { return e.posLess(res.installed[i].Pos, res.installed[j].Pos) })
	res.keep = e.findKeepAlives()
	sort.SliceStable(res.keep, func(i, j int) bool { return e.posLess(res.keep[i].Pos, res.keep[j].Pos) })

	own := &Tables{}
	for _, h := range e.held {
		own.Held = append(own.Held, h)
	}
	for _, r := range res.roots {
		if r.Kind == RootSignal {
			continue
		}
		// Importers see the root by its qualified name and registration
		// site.
		for _, op := range r.Locks {
			if op.Kind == KindToken {
				continue // allocunderlock is about mutexes
			}
			op.Param, op.ByValue = -1, false
			own.RootLocks = append(own.RootLocks, RootLock{Kind: r.Kind, Root: r.QName, Site: e.at(r.Pos), Op: op})
		}
	}
	if init := e.ssapkg.Func("init"); init != nil {
		if s := e.summaries[init]; s != nil {
			for _, op := range s.Go {
				op.Chain = prepend(Hop{Func: InitOf(pass.Pkg.Path())}, op.Chain)
				own.InitGo = append(own.InitGo, op)
			}
		}
	}
	all := []*Tables{own}
	if facts {
		for _, imp := range pass.Pkg.Imports() {
			var t Tables
			if !isStd(imp.Path()) && pass.ImportPackageFact(imp, &t) {
				all = append(all, &t)
			}
		}
	}
	own.ChanFrom = e.chanSources()
	merged := mergeTables(all...)
	if facts && (len(merged.Held) > 0 || len(merged.RootLocks) > 0 || len(merged.InitGo) > 0 || len(merged.ChanFrom) > 0) {
		pass.ExportPackageFact(merged)
	}
	res.held = map[string][]Held{}
	for _, h := range merged.Held {
		res.held[h.Class] = append(res.held[h.Class], h)
	}
	res.rootLocks = merged.RootLocks
	res.initGo = merged.InitGo

	for _, s := range e.sections {
		res.sections = append(res.sections, s)
	}
	sort.Slice(res.sections, func(i, j int) bool {
		a, b := res.sections[i], res.sections[j]
		if a.LockPos != b.LockPos {
			return e.posLess(a.LockPos, b.LockPos)
		}
		return a.Lock.Class < b.Lock.Class
	})
	res.funcs = map[*types.Func]*Summary{}
	for fn, s := range e.summaries {
		if obj := funcObject(fn); obj != nil && (fn.Origin() == nil || fn.Origin() == fn) {
			res.funcs[obj] = s
		}
	}
	for obj, s := range e.imported {
		if s != nil {
			res.funcs[obj] = s
			res.fdWrapper = res.fdWrapper || len(s.Fds) > 0
		}
	}
	if res.started != nil || res.fdWrapper {
		res.fds = e.fdCreations()
	}
	res.notes = e.notes
	return e
}
