package forkafterthreads

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"path"
	"regexp"

	"github.com/finalock/finalock/analyzer"
)

// A creation is a call that creates file descriptors.
type creation struct {
	call    *ast.CallExpr
	what    string         // "unix.Open", "syscall.Syscall(SYS_OPENAT)", "unix.Open through openLog"
	pkg     *types.Package // syscall or golang.org/x/sys/unix
	flag    string         // the close-on-exec flag of the call, "" if it has none
	missing string         // the flag the call would take, when the platform lacks it
	bit     constant.Value // the value of flag
	val     flagVal        // whether the flags have it
	fixes   []string
	spec    analyzer.FdCreator // for a direct call: the table's entry
	direct  bool               // a call of syscall or x/sys/unix itself, not raw, not fcntl
	fds     []ref              // where the descriptors go; none when not kept in a variable
	pair    bool               // two descriptors (pipe, socketpair)
	chain   []analyzer.Step
}

// A markEvent is a call that marks a descriptor close-on-exec.
type markEvent struct {
	r    ref
	call *ast.CallExpr
}

// astArgs are a call's arguments as analyzer.FdArgs, evaluated in the
// flag scope of the function that makes the call.
type astArgs struct {
	sc   *scope
	args []ast.Expr
}

func (a astArgs) Len() int                   { return len(a.args) }
func (a astArgs) Const(i int) constant.Value { return a.sc.constOf(a.args[i]) }
func (a astArgs) Has(i int, bit constant.Value) bool {
	return a.sc.bitVal(a.args[i], bit).k == flagHas
}

// creation returns the descriptors a call creates, or nil: a call of
// syscall or x/sys/unix as analyzer.FdEffectOf defines it, or a call of a
// function whose engine summary says it passes its flags parameter to
// one.
func (c *checker) creation(sc *scope, call *ast.CallExpr, fn *types.Func) *creation {
	if fn == nil {
		return nil
	}
	if sum := c.res.Summary(fn); sum != nil && len(sum.Fds) > 0 {
		return c.wrapperCreation(sc, call, fn, sum.Fds[0])
	}
	eff := analyzer.FdEffectOf(fn, astArgs{sc, call.Args})
	if eff.Kind != analyzer.FdCreate {
		return nil
	}
	spec, args, pkg := eff.Creator, call.Args, fn.Pkg()
	cr := &creation{call: call, pkg: pkg, what: c.funcName(fn) + eff.What, fixes: spec.Fixes, pair: spec.Pair,
		spec: spec, direct: eff.What == ""}
	switch {
	case spec.Flags < 0:
		cr.val = lacks
	default:
		cr.bit = c.constant(pkg, spec.Cloexec)
		if cr.bit == nil {
			cr.missing = spec.Cloexec
			cr.val = lacks
		} else {
			cr.flag = spec.Cloexec
			if spec.Field != "" {
				cr.val = sc.fieldVal(args[spec.Flags], spec.Field, cr.bit)
			} else {
				cr.val = sc.bitVal(args[spec.Flags], cr.bit)
			}
		}
	}
	switch spec.Place {
	case analyzer.FdResult, analyzer.FdPairResult:
		cr.fds = c.resultRefs(sc, call)
	case analyzer.FdPairArg, analyzer.FdNewArg:
		a := args[spec.FdArg]
		if spec.Place == analyzer.FdNewArg && c.isStdio(sc, a) {
			// dup2 onto standard input, output or error: the program
			// redirects its own stdio, which os/exec replaces in every
			// child anyway.
			return nil
		}
		if r, ok := sc.refOf(a); ok {
			cr.fds = []ref{r}
		}
	}
	return cr
}

// wrapperCreation is the creation of a call to a function (of this
// package or another) whose summary says it passes one of its parameters
// as the flags of an fd-creating call.
func (c *checker) wrapperCreation(sc *scope, call *ast.CallExpr, fn *types.Func, fw analyzer.FdWrapper) *creation {
	if fw.Param >= len(call.Args) || call.Ellipsis.IsValid() {
		return nil
	}
	bit := constant.MakeInt64(fw.Bit)
	cr := &creation{call: call, what: fw.Call + " through " + c.funcName(fn),
		pkg: types.NewPackage(fw.Pkg, path.Base(fw.Pkg)), flag: fw.Flag, bit: bit, pair: fw.Pair}
	cr.val = sc.bitVal(call.Args[fw.Param], bit)
	cr.chain = analyzer.PrependStep(c.hop(c.funcName(fn), call.Pos()), analyzer.HopSteps(fw.Chain))
	cr.fds = c.resultRefs(sc, call)
	return cr
}

// isStdio reports whether e is descriptor 0, 1 or 2: a constant, or an
// expression built on os.Stdin, os.Stdout, os.Stderr or their syscall
// counterparts (int(os.Stderr.Fd())).
func (c *checker) isStdio(sc *scope, e ast.Expr) bool {
	if v := sc.constOf(e); v != nil {
		n, ok := constant.Int64Val(constant.ToInt(v))
		return ok && n >= 0 && n <= 2
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.info.Uses[id].(*types.Var); ok && v.Pkg() != nil && !v.IsField() &&
				(v.Pkg().Path() == "os" || analyzer.SyscallPackage(v.Pkg().Path())) &&
				(v.Name() == "Stdin" || v.Name() == "Stdout" || v.Name() == "Stderr") {
				found = true
			}
		}
		return !found
	})
	return found
}

// resultRefs returns where the first result of a call goes.
func (c *checker) resultRefs(sc *scope, call *ast.CallExpr) []ref {
	if lhs, ok := sc.results[call]; ok {
		if r, ok := sc.refOf(lhs); ok {
			return []ref{r}
		}
	}
	return nil
}

// marks returns the descriptors that a call marks close-on-exec: as
// analyzer.FdEffectOf defines a mark, or the arguments of a function
// whose engine summary says it marks those parameters.
func (c *checker) marks(sc *scope, call *ast.CallExpr, fn *types.Func) []ref {
	if fn == nil {
		return nil
	}
	if eff := analyzer.FdEffectOf(fn, astArgs{sc, call.Args}); eff.Kind == analyzer.FdMark {
		if r, ok := sc.refOf(call.Args[eff.Arg]); ok {
			return []ref{r}
		}
		return nil
	}
	s := c.res.Summary(fn)
	if s == nil || len(s.Marks) == 0 {
		return nil
	}
	args := c.ssaArgs(call, fn)
	var out []ref
	for _, i := range s.Marks {
		if i < len(args) {
			if r, ok := sc.refOf(args[i]); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// ssaArgs returns the arguments of a call of fn as the engine counts
// them: the receiver of a method value first.
func (c *checker) ssaArgs(call *ast.CallExpr, fn *types.Func) []ast.Expr {
	if fn.Type().(*types.Signature).Recv() != nil {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if s := c.info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
				return append([]ast.Expr{sel.X}, call.Args...)
			}
		}
	}
	return call.Args
}

// markedBy returns the marks after the creation that cover all its
// descriptors, or false.
func (cr *creation) markedBy(marks []markEvent) ([]markEvent, bool) {
	if len(cr.fds) == 0 {
		return nil, false
	}
	fd := cr.fds[0]
	var used []markEvent
	covered := map[int]bool{}
	for _, m := range marks {
		if m.call.Pos() <= cr.call.Pos() || m.r.v != fd.v || m.r.field != fd.field {
			continue
		}
		if !cr.pair || fd.idx >= 0 {
			return []markEvent{m}, true
		}
		used = append(used, m)
		covered[m.r.idx] = true
		if covered[-1] || (covered[0] && covered[1]) {
			return used, true
		}
	}
	return nil, false
}

// fdleak reports the descriptors a function creates without close-on-exec
// and never marks, or marks outside syscall.ForkLock.
func (c *checker) fdleak(d *decl) {
	var creations []*creation
	var marks []markEvent
	ast.Inspect(d.node, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn := c.callee(call)
		if cr := c.creation(d.sc, call, fn); cr != nil {
			creations = append(creations, cr)
		}
		for _, r := range c.marks(d.sc, call, fn) {
			marks = append(marks, markEvent{r, call})
		}
		return true
	})
	for _, cr := range creations {
		if cr.val.k == flagParam && !c.isWrapper(d.fn) {
			// Flags from a parameter of a function that is no wrapper
			// (the engine's summary would report its callers): what
			// every caller in the package passes.
			cr.val = c.paramFlags(d.fn, cr.val.p, cr.bit, 0)
		}
		if cr.val.k != flagLacks {
			continue // has the flag, or not known
		}
		used, ok := cr.markedBy(marks)
		switch {
		case !ok:
			c.reportLeak(cr)
		case !c.underForkLock(cr, used) && c.startsProcesses():
			c.reportRace(cr)
		}
	}
}

// isWrapper reports whether the engine's summary says fn passes a flags
// parameter on to an fd-creating call.
func (c *checker) isWrapper(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	s := c.res.Summary(fn)
	return s != nil && len(s.Fds) > 0
}

// startsProcesses reports whether a process may start while a
// descriptor waits to be marked: the package is a library (it cannot know
// that its importers never start processes), or a program that starts
// one itself, or that uses os/exec, or imports a package that does.
// Without it (a command that starts nothing), the window is harmless: the
// descriptor is close-on-exec before any exec.
func (c *checker) startsProcesses() bool {
	if c.spawns != nil {
		return *c.spawns
	}
	found := c.pass.Pkg.Name() != "main" || c.packageStarts()
	for _, obj := range c.info.Uses {
		if found {
			break
		}
		if fn, ok := obj.(*types.Func); ok && fn.Pkg() != nil {
			_, start := analyzer.ProcessStart(fn.FullName())
			found = start || fn.Pkg().Path() == "os/exec"
		}
	}
	seen := map[*types.Package]bool{}
	var imports func(p *types.Package)
	imports = func(p *types.Package) {
		for _, imp := range p.Imports() {
			if found || seen[imp] {
				continue
			}
			seen[imp] = true
			found = imp.Path() == "os/exec"
			imports(imp)
		}
	}
	imports(c.pass.Pkg)
	c.spawns = &found
	return found
}

// packageStarts reports whether a function of the package starts a
// process, as the engine's summaries say.
func (c *checker) packageStarts() bool {
	for _, d := range c.decls {
		if d.fn != nil {
			if s := c.res.Summary(d.fn); s != nil && s.Starts != nil {
				return true
			}
		}
	}
	return false
}

// underForkLock reports whether the creation and its marks happen while
// one acquisition of syscall.ForkLock is held.
func (c *checker) underForkLock(cr *creation, marks []markEvent) bool {
	h, ok := c.res.ForkLockAt(cr.call.Lparen)
	if !ok {
		return false
	}
	for _, m := range marks {
		hm, ok := c.res.ForkLockAt(m.call.Lparen)
		if !ok || hm.At != h.At {
			return false
		}
	}
	return true
}

func (c *checker) reportLeak(cr *creation) {
	p := cr.pkg.Name()
	it, leaks := "the descriptor", "it leaks"
	if cr.pair {
		it, leaks = "the descriptors", "they leak"
	}
	var msg string
	if cr.flag != "" {
		msg = fmt.Sprintf("%s without %s.%s: %s %s; add %s.%s to the flags",
			cr.what, p, cr.flag, leakWords(cr.pair), leakConsequence, p, cr.flag)
	} else {
		lacking := ""
		if cr.missing != "" {
			lacking = fmt.Sprintf(" (%s has no %s on this platform)", p, cr.missing)
		}
		msg = fmt.Sprintf("%s creates %s without close-on-exec%s: %s %s; %s",
			cr.what, it, lacking, leaks, leakConsequence, c.fix(cr))
	}
	if cr.chain != nil {
		msg += ": " + analyzer.RenderSteps(cr.chain)
	}
	c.reportFixed(cr.call.Pos(), RuleFDLeak, cr.chain, c.suggestedFix(cr), "%s", msg)
}

// leakWords says that the descriptors leak.
func leakWords(pair bool) string {
	if pair {
		return "the descriptors leak"
	}
	return "the descriptor leaks"
}

func (c *checker) reportRace(cr *creation) {
	p := cr.pkg.Name()
	var msg string
	if cr.flag != "" {
		msg = fmt.Sprintf("%s without %s.%s, marked close-on-exec only after creation, outside syscall.ForkLock.RLock: a process started concurrently inherits it; add %s.%s to the flags",
			cr.what, p, cr.flag, p, cr.flag)
	} else {
		it, them := "the descriptor", "it"
		if cr.pair {
			it, them = "the descriptors", "them"
		}
		msg = fmt.Sprintf("%s creates %s without close-on-exec, marked close-on-exec only after creation, outside syscall.ForkLock.RLock: a process started concurrently inherits %s; create and mark %s under syscall.ForkLock.RLock",
			cr.what, it, them, them)
		if f := c.fixCall(cr); f != "" {
			msg += ", or use " + f
		}
	}
	if cr.chain != nil {
		msg += ": " + analyzer.RenderSteps(cr.chain)
	}
	c.reportFixed(cr.call.Pos(), RuleFDLeak, cr.chain, c.suggestedFix(cr), "%s", msg)
}

// fix says how to create the descriptor with close-on-exec.
func (c *checker) fix(cr *creation) string {
	if f := c.fixCall(cr); f != "" {
		return "use " + f
	}
	return fmt.Sprintf("mark it with %s.CloseOnExec under syscall.ForkLock.RLock", cr.pkg.Name())
}

var fixNames = regexp.MustCompile(`%\[1\]s\.([A-Za-z0-9_]+)`)

// fixCall returns the first replacement of cr whose names all exist in
// the package called, or "".
func (c *checker) fixCall(cr *creation) string {
next:
	for _, f := range cr.fixes {
		for _, m := range fixNames.FindAllStringSubmatch(f, -1) {
			if cr.pkg.Scope().Lookup(m[1]) == nil {
				continue next
			}
		}
		return fmt.Sprintf(f, cr.pkg.Name())
	}
	return ""
}
