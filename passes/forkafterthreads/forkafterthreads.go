package forkafterthreads

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed doc.go
var doc string

// Analyzer reports raw forks, execs and process starts that go wrong in a
// multi-threaded Go process, and file descriptors that leak into the
// processes it starts.
var Analyzer = &analysis.Analyzer{
	Name:       "forkafterthreads",
	Doc:        analyzer.ExtractDoc(doc, "forkafterthreads"),
	URL:        "https://github.com/finalock/finalock#forkafterthreads",
	Requires:   []*analysis.Analyzer{analyzer.Analyzer},
	Run:        run,
	ResultType: analyzer.FindingsType,
}

// The rules, used as diagnostic categories.
const (
	RuleRawFork   = "rawfork"
	RuleExec      = "exec"
	RuleFDLeak    = "fdleak"
	RuleForkLock  = "forklock"
	RulePdeathsig = "pdeathsig"
)

// leakConsequence says where a descriptor without close-on-exec goes.
const leakConsequence = "into every process os/exec starts (runc CVE-2024-21626)"

// A checker holds the state of one run of the pass.
type checker struct {
	pass   *analysis.Pass
	res    *analyzer.Result
	info   *types.Info
	initGo []analyzer.Op
	decls  []*decl

	spawns *bool // whether the program can start processes (computed once)

	entry    map[*types.Func]*start  // a goroutine start before some call of the function
	changed  bool                    // entry grew
	local    map[*types.Func]bool    // functions declared in the package
	calls    map[*ast.CallExpr]state // the state before each walked call
	done     map[string]bool         // reported category@position
	findings *analyzer.Findings      // what is reported, for the drivers
	regions  int
	sites    map[*types.Func][]site // calls of the package's functions that are only called
}

// A decl is a function declaration, or a function literal at package
// level, with its flag scope.
type decl struct {
	node   ast.Node
	body   *ast.BlockStmt
	fn     *types.Func // nil for a literal
	sc     *scope
	isInit bool
}

func run(pass *analysis.Pass) (_ any, err error) {
	pass, flush := analyzer.Ignores(pass, true)
	defer flush()
	if r := pass.ResultOf[analyzer.Analyzer].(*analyzer.Result); !relevant(pass) && !r.CallsFdWrapper() && len(r.DeathsigStarts()) == 0 {
		return new(analyzer.Findings), nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("forkafterthreads: internal error checking %s: %v\n%s", pass.Pkg.Path(), r, debug.Stack())
		}
	}()
	res := pass.ResultOf[analyzer.Analyzer].(*analyzer.Result)
	if err := res.Err(); err != nil {
		return nil, err
	}
	c := &checker{pass: pass, res: res, info: pass.TypesInfo, initGo: res.InitGo(),
		calls: map[*ast.CallExpr]state{},
		done:  map[string]bool{}, findings: new(analyzer.Findings), entry: map[*types.Func]*start{}, local: map[*types.Func]bool{}}
	c.collect()
	// Carry goroutine starts into the package's functions called after
	// them, to a fixed point, then walk once more to report.
	for round := 0; round <= len(c.decls); round++ {
		c.changed = false
		for _, d := range c.decls {
			c.walk(d, false)
		}
		if !c.changed {
			break
		}
	}
	for _, d := range c.decls {
		c.walk(d, true)
	}
	for _, d := range c.decls {
		c.fdleak(d)
	}
	c.deathsigStarts()
	return c.findings, nil
}

// relevant reports whether the package can contain anything this pass
// reports: it imports syscall, golang.org/x/sys/unix or os/exec, or uses
// cgo.
func relevant(pass *analysis.Pass) bool {
	for _, imp := range pass.Pkg.Imports() {
		if p := imp.Path(); analyzer.SyscallPackage(p) || p == "os/exec" || p == "runtime/cgo" {
			return true
		}
	}
	for _, f := range pass.Files {
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				return true
			}
		}
	}
	return false
}

// collect lists the package's function declarations and package-level
// function literals.
func (c *checker) collect() {
	for _, f := range c.pass.Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Body == nil {
					continue
				}
				fn, _ := c.info.Defs[d.Name].(*types.Func)
				if fn != nil {
					c.local[fn] = true
				}
				c.decls = append(c.decls, &decl{node: d, body: d.Body, fn: fn, sc: newScope(c.info, d),
					isInit: d.Recv == nil && d.Name.Name == "init"})
			case *ast.GenDecl:
				ast.Inspect(d, func(n ast.Node) bool {
					if lit, ok := n.(*ast.FuncLit); ok {
						c.decls = append(c.decls, &decl{node: lit, body: lit.Body, sc: newScope(c.info, lit)})
						return false
					}
					return true
				})
			}
		}
	}
}

func (c *checker) newRegion() int { c.regions++; return c.regions }

// callee returns the function a call statically calls (the generic
// function for an instance), or nil.
func (c *checker) callee(call *ast.CallExpr) *types.Func {
	if fn := typeutil.StaticCallee(c.info, call); fn != nil {
		return fn.Origin()
	}
	return nil
}

// call checks one call in the state before it and returns the state after.
func (c *checker) call(w *walker, call *ast.CallExpr, st state) state {
	report := w.report && w.quiet == 0
	if report {
		c.calls[call] = st
	}
	switch c.forkLockOp(call) {
	case "Lock", "RLock":
		return state{started: st.started, lock: forkLock{held: true, write: c.forkLockOp(call) == "Lock",
			at: call.Pos(), region: c.newRegion()}}
	case "Unlock", "RUnlock":
		return state{started: st.started}
	}
	fn := c.callee(call)
	if report {
		c.checkRawFork(w, call, fn, st)
		c.checkCgoFork(w, call, st)
		c.checkExec(w, call, fn, st)
		c.checkForkLock(call, fn, st)
	}
	if fn != nil && st.started != nil {
		c.enter(fn, st.started.through(c.hop(c.funcName(fn), call.Pos())))
	}
	if st.started == nil {
		st.started = c.goStart(call, fn)
	}
	return st
}

// enter records that a goroutine start may precede a call of fn, when fn
// is a function of the package and none was known.
func (c *checker) enter(fn *types.Func, s *start) {
	if c.local[fn] && c.entry[fn] == nil {
		c.entry[fn] = s
		c.changed = true
	}
}

// goStart returns the goroutine start that a call makes, or nil.
func (c *checker) goStart(call *ast.CallExpr, fn *types.Func) *start {
	if fn == nil {
		return nil
	}
	if analyzer.StartsGoroutine(fn.FullName()) {
		return &start{chain: []analyzer.Step{c.hop(c.funcName(fn), call.Pos())}}
	}
	if s := c.res.Summary(fn); s != nil && len(s.Go) > 0 {
		return &start{chain: prepend(c.hop(c.funcName(fn), call.Pos()), s.Go[0].Steps(""))}
	}
	return nil
}

// noReturn reports whether a call never returns.
func (c *checker) noReturn(call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := c.info.Uses[id].(*types.Builtin); ok && b.Name() == "panic" {
			return true
		}
	}
	fn := c.callee(call)
	if fn == nil {
		return false
	}
	return analyzer.NoReturn(fn.FullName())
}

// checkRawFork reports raw fork system calls.
func (c *checker) checkRawFork(w *walker, call *ast.CallExpr, fn *types.Func, st state) {
	trap, ok := c.forkTrap(w.d.sc, call, fn)
	if !ok {
		return
	}
	switch trap {
	case "SYS_CLONE":
		// clone with CLONE_THREAD makes a thread, not a process. Flags
		// that cannot be evaluated do not silence it.
		if bit := c.constant(fn.Pkg(), "CLONE_THREAD"); bit != nil && len(call.Args) > 1 &&
			w.d.sc.bitVal(call.Args[1], bit).k == flagHas {
			return
		}
	case "SYS_RFORK":
		// rfork makes a process only with RFPROC; without it, it changes
		// what the calling process shares (Plan 9 namespaces).
		bit := c.constant(fn.Pkg(), "RFPROC")
		if bit == nil || len(call.Args) < 2 || w.d.sc.bitVal(call.Args[1], bit).k != flagHas {
			return
		}
	}
	what := fmt.Sprintf("%s(%s)", c.funcName(fn), trap)
	c.reportFork(w, call, "raw fork "+what, st)
}

// checkCgoFork reports cgo calls of fork, vfork, daemon and forkpty.
func (c *checker) checkCgoFork(w *walker, call *ast.CallExpr, st state) {
	var name string
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		// cgo-processed source: C.fork is _Cfunc_fork.
		name, _ = strings.CutPrefix(f.Name, "_Cfunc_")
		if name == f.Name {
			return
		}
	case *ast.SelectorExpr:
		// Original source, type-checked with FakeImportC.
		x, ok := f.X.(*ast.Ident)
		if !ok || x.Name != "C" {
			return
		}
		if pn, ok := c.info.Uses[x].(*types.PkgName); ok && pn.Imported().Path() != "C" {
			return
		}
		name = f.Sel.Name
	default:
		return
	}
	if analyzer.CgoFork(name) {
		c.reportFork(w, call, "cgo call C."+name, st)
	}
}

func (c *checker) reportFork(w *walker, call *ast.CallExpr, what string, st state) {
	threads, steps, ok := c.threads(w, st)
	if !ok {
		threads = "the runtime's own (sysmon, GC workers), running before main"
	}
	c.report(call.Pos(), RuleRawFork, steps, "%s copies only the calling thread: locks that the other threads held stay locked in the child, which hangs as soon as it allocates, uses a timer or takes one of them; start processes with os/exec or syscall.ForkExec; threads: %s",
		what, threads)
}

// checkExec reports syscall.Exec and unix.Exec after a goroutine may have
// started: in the function, before a call of it, or in package
// initialization.
func (c *checker) checkExec(w *walker, call *ast.CallExpr, fn *types.Func, st state) {
	if fn == nil {
		return
	}
	const consequence = "exec ends every other goroutine at once, without running their deferred calls or flushing their buffers (golang/go#18146)"
	if !isExec(fn) {
		return
	}
	if threads, steps, ok := c.threads(w, st); ok {
		c.report(call.Pos(), RuleExec, steps, "%s while other goroutines may run: %s; finish them first; started: %s",
			c.funcName(fn), consequence, threads)
	}
}

func isExec(fn *types.Func) bool {
	return fn.Name() == "Exec" && fn.Pkg() != nil && analyzer.SyscallPackage(fn.Pkg().Path()) && fn.Type().(*types.Signature).Recv() == nil
}

// checkForkLock reports a process start while syscall.ForkLock is held.
func (c *checker) checkForkLock(call *ast.CallExpr, fn *types.Func, st state) {
	if !st.lock.held || fn == nil {
		return
	}
	mode := "RLock"
	if st.lock.write {
		mode = "Lock"
	}
	held := fmt.Sprintf("syscall.ForkLock is held (%s at %s)", mode, c.posString(st.lock.at))
	const consequence = "starting a process takes ForkLock.Lock, which waits for this goroutine to release ForkLock: it never does"
	if name, ok := analyzer.ProcessStart(fn.FullName()); ok {
		c.report(call.Pos(), RuleForkLock, nil, "%s while %s: %s; release ForkLock before starting the process",
			name, held, consequence)
		return
	}
	if steps, ok := c.startsThrough(call, fn); ok {
		c.report(call.Pos(), RuleForkLock, steps, "%s starts a process while %s: %s; release ForkLock before calling it: %s",
			c.funcName(fn), held, consequence, analyzer.RenderSteps(steps))
	}
}

// startsThrough returns the witness of the process start that a call of
// fn makes, when the engine's summary of fn says it starts one.
func (c *checker) startsThrough(call *ast.CallExpr, fn *types.Func) ([]analyzer.Step, bool) {
	s := c.res.Summary(fn)
	if s == nil || s.Starts == nil {
		return nil, false
	}
	return prepend(c.hop(c.funcName(fn), call.Pos()), analyzer.HopSteps(s.Starts)), true
}

// forkTrap returns the SYS_ name of the trap of a raw system call made
// through syscall or golang.org/x/sys/unix, when it is one that forks
// (analyzer.ForkTrap).
func (c *checker) forkTrap(sc *scope, call *ast.CallExpr, fn *types.Func) (string, bool) {
	if !analyzer.RawSyscall(fn) || len(call.Args) == 0 {
		return "", false
	}
	return analyzer.TrapName(fn.Pkg(), sc.constOf(call.Args[0]), analyzer.ForkTraps())
}

// constant returns the value of the constant name of pkg, or nil.
func (c *checker) constant(pkg *types.Package, name string) constant.Value {
	if pkg == nil {
		return nil
	}
	if k, ok := pkg.Scope().Lookup(name).(*types.Const); ok {
		return k.Val()
	}
	return nil
}

// funcName names a function as a witness shows it, relative to the
// package being checked.
func (c *checker) funcName(fn *types.Func) string {
	qual := func(p *types.Package) string {
		if p == c.pass.Pkg {
			return ""
		}
		return p.Name()
	}
	if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
		return "(" + types.TypeString(recv.Type(), qual) + ")." + fn.Name()
	}
	if fn.Pkg() == nil || fn.Pkg() == c.pass.Pkg {
		return fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

func (c *checker) posString(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// hop makes one step of a witness chain: name at pos.
func (c *checker) hop(name string, pos token.Pos) analyzer.Step {
	return analyzer.StepAt(c.pass.Fset, name, pos)
}

// maxChain bounds the witness chains the pass builds.
const maxChain = 10

func prepend(h analyzer.Step, chain []analyzer.Step) []analyzer.Step {
	out := append([]analyzer.Step{h}, chain...)
	if len(out) > maxChain {
		out = append(out[:maxChain-2:maxChain-2], analyzer.Step{Text: "…"}, out[len(out)-1])
	}
	return out
}

// report reports once per rule and position, with the witness steps;
// diagnostics without a valid position are dropped.
func (c *checker) report(pos token.Pos, category string, steps []analyzer.Step, format string, args ...any) {
	c.reportFixed(pos, category, steps, nil, format, args...)
}

// reportFixed is report with suggested fixes.
func (c *checker) reportFixed(pos token.Pos, category string, steps []analyzer.Step, fixes []analysis.SuggestedFix, format string, args ...any) {
	if !pos.IsValid() {
		return
	}
	key := fmt.Sprintf("%s@%d", category, pos)
	if c.done[key] {
		return
	}
	c.done[key] = true
	var flows []analyzer.Flow
	if len(steps) > 0 {
		flows = append(flows, analyzer.Flow{Message: category, Steps: steps})
	}
	c.findings.Report(c.pass, analysis.Diagnostic{Pos: pos, Category: category, Message: fmt.Sprintf(format, args...),
		SuggestedFixes: fixes}, "", flows...)
}
