package forkafterthreads

import (
	_ "embed"
	"fmt"
	"go/ast"
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

	done     map[string]bool    // reported category@position
	findings *analyzer.Findings // what is reported, for the drivers
}

// A decl is a function declaration, or a function literal at package
// level.
type decl struct {
	node   ast.Node
	body   *ast.BlockStmt
	fn     *types.Func // nil for a literal
	isInit bool
}

func run(pass *analysis.Pass) (_ any, err error) {
	pass, flush := analyzer.Ignores(pass, true)
	defer flush()
	if r := pass.ResultOf[analyzer.Analyzer].(*analyzer.Result); !analyzer.ForkRelevant(pass.Pkg, pass.Files) && !r.CallsFdWrapper() && len(r.DeathsigStarts()) == 0 {
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
		done: map[string]bool{}, findings: new(analyzer.Findings)}
	c.collect()
	for _, d := range c.decls {
		c.check(d)
	}
	c.fdleak()
	c.deathsigStarts()
	return c.findings, nil
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
				c.decls = append(c.decls, &decl{node: d, body: d.Body, fn: fn,
					isInit: d.Recv == nil && d.Name.Name == "init"})
			case *ast.GenDecl:
				ast.Inspect(d, func(n ast.Node) bool {
					if lit, ok := n.(*ast.FuncLit); ok {
						c.decls = append(c.decls, &decl{node: lit, body: lit.Body})
						return false
					}
					return true
				})
			}
		}
	}
}

// callee returns the function a call statically calls (the generic
// function for an instance), or nil.
func (c *checker) callee(call *ast.CallExpr) *types.Func {
	if fn := typeutil.StaticCallee(c.info, call); fn != nil {
		return fn.Origin()
	}
	return nil
}

// check checks the calls of d that the engine reached, each with what
// may run and what is held before it. The call of a go or defer statement
// itself is not checked (it runs elsewhere or later); its operands are.
func (c *checker) check(d *decl) {
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		var call *ast.CallExpr
		switch n := n.(type) {
		case *ast.GoStmt:
			call = n.Call
		case *ast.DeferStmt:
			call = n.Call
		case *ast.CallExpr:
			c.checkCall(d, n)
			return true
		default:
			return true
		}
		ast.Inspect(call.Fun, visit)
		for _, a := range call.Args {
			ast.Inspect(a, visit)
		}
		return false
	}
	ast.Inspect(d.body, visit)
}

// checkCall checks one call.
func (c *checker) checkCall(d *decl, call *ast.CallExpr) {
	started, ok := c.res.StartedBefore(call.Lparen)
	if !ok {
		return
	}
	fn := c.callee(call)
	c.checkRawFork(d, call, fn, started)
	c.checkCgoFork(d, call, started)
	c.checkExec(d, call, fn, started)
	if hold, ok := c.res.ForkLockAt(call.Lparen); ok {
		c.checkForkLock(call, fn, hold)
	}
}

// threads returns the witness of a goroutine start that may precede a
// call of d: started, or one reachable from package initialization.
func (c *checker) threads(d *decl, started *analyzer.Started) (string, []analyzer.Step, bool) {
	if started != nil {
		return started.String(), started.Steps(), true
	}
	for _, op := range c.initGo {
		if d.isInit && len(op.Chain) > 0 && op.Chain[0].Func == analyzer.InitOf(c.pass.Pkg.Path()) {
			// This package's own init functions: what they start before
			// this point is in started, what they start after does not
			// count.
			continue
		}
		steps := op.Steps("")
		return analyzer.RenderSteps(steps), steps, true
	}
	return "", nil, false
}

// checkRawFork reports raw fork system calls, as the engine finds them
// (analyzer.Result.RawForkAt: CLONE_THREAD and RFPROC evaluated there).
func (c *checker) checkRawFork(d *decl, call *ast.CallExpr, fn *types.Func, st *analyzer.Started) {
	trap, ok := c.res.RawForkAt(call.Lparen)
	if !ok || fn == nil {
		return
	}
	what := fmt.Sprintf("%s(%s)", c.funcName(fn), trap)
	c.reportFork(d, call, "raw fork "+what, st)
}

// checkCgoFork reports cgo calls of fork, vfork, daemon and forkpty.
func (c *checker) checkCgoFork(d *decl, call *ast.CallExpr, st *analyzer.Started) {
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
		c.reportFork(d, call, "cgo call C."+name, st)
	}
}

func (c *checker) reportFork(d *decl, call *ast.CallExpr, what string, st *analyzer.Started) {
	threads, steps, ok := c.threads(d, st)
	if !ok {
		threads = "the runtime's own (sysmon, GC workers), running before main"
	}
	c.report(call.Pos(), RuleRawFork, steps, "%s copies only the calling thread: locks that the other threads held stay locked in the child, which hangs as soon as it allocates, uses a timer or takes one of them; start processes with os/exec or syscall.ForkExec; threads: %s",
		what, threads)
}

// checkExec reports syscall.Exec and unix.Exec after a goroutine may have
// started: in the function, before a call of it, or in package
// initialization.
func (c *checker) checkExec(d *decl, call *ast.CallExpr, fn *types.Func, st *analyzer.Started) {
	if fn == nil {
		return
	}
	const consequence = "exec ends every other goroutine at once, without running their deferred calls or flushing their buffers (golang/go#18146)"
	if !isExec(fn) {
		return
	}
	if threads, steps, ok := c.threads(d, st); ok {
		c.report(call.Pos(), RuleExec, steps, "%s while other goroutines may run: %s; finish them first; started: %s",
			c.funcName(fn), consequence, threads)
	}
}

func isExec(fn *types.Func) bool {
	return fn.Name() == "Exec" && fn.Pkg() != nil && analyzer.SyscallPackage(fn.Pkg().Path()) && fn.Type().(*types.Signature).Recv() == nil
}

// checkForkLock reports a process start while syscall.ForkLock is held.
func (c *checker) checkForkLock(call *ast.CallExpr, fn *types.Func, hold analyzer.ForkHold) {
	if fn == nil {
		return
	}
	mode := "RLock"
	if hold.Write {
		mode = "Lock"
	}
	held := fmt.Sprintf("syscall.ForkLock is held (%s at %s)", mode, c.posString(hold.At))
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
	return analyzer.PrependStep(c.hop(c.funcName(fn), call.Pos()), analyzer.HopSteps(s.Starts)), true
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
