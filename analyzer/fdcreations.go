package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path"
	"regexp"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// This file finds the calls of the package that create file descriptors
// without close-on-exec and never mark them, or mark them only outside
// the syscall.ForkLock acquisition that covers their creation, and the
// raw system calls that fork: what forkafterthreads reports as fdleak
// and rawfork, decided on SSA values by the engine's one evaluator
// (fdflags.go).

// An FdCreation is a call of the package that creates file descriptors
// without close-on-exec that a process started afterwards can inherit.
type FdCreation struct {
	// Lparen is the position of the call's left parenthesis.
	Lparen token.Pos
	// Call says what is called: "unix.Open",
	// "syscall.Syscall(SYS_OPENAT)", "unix.Open through openLog".
	Call string
	// PkgPath and PkgName name the package whose call creates the
	// descriptors: syscall or golang.org/x/sys/unix.
	PkgPath, PkgName string
	// Flag is the call's close-on-exec flag ("O_CLOEXEC"), "" when the
	// call takes none; Missing is the flag it would take, when the
	// platform lacks it.
	Flag, Missing string
	// Pair reports that the call creates two descriptors.
	Pair bool
	// Marked reports that the function marks the descriptors
	// close-on-exec after creating them, but not under the one
	// syscall.ForkLock acquisition that covers the creation: a process
	// started in between inherits them. Otherwise nothing marks them:
	// they leak.
	Marked bool
	// Fix is the replacement call that creates them with close-on-exec,
	// in words ("syscall.Pipe2(p, syscall.O_CLOEXEC)"), when the package
	// called has every name it needs; "" otherwise.
	Fix string
	// Chain is the witness through a wrapper, from the wrapper called to
	// the call that creates the descriptors; nil for a direct call.
	Chain []Step
	// Direct reports a call of syscall or x/sys/unix itself (not a raw
	// system call, not fcntl, not a wrapper): its text can be fixed.
	Direct bool
	// FlagsArg is the argument of the call that holds its flags, -1
	// when it takes none or they are in a struct it points to.
	FlagsArg int
	// Fixed and FixedFlag, for a direct call that takes no flags, are
	// the function of the same package that does the same with a flags
	// argument and the close-on-exec flag to give it (both exist in the
	// package called); FixedArgs is how many of the call's arguments the
	// fixed call keeps, before the flag.
	Fixed, FixedFlag string
	FixedArgs        int
}

// FdCreations returns, in source order, the calls of the package that
// create file descriptors without close-on-exec and leak them or mark
// them only outside syscall.ForkLock.
func (r *Result) FdCreations() []FdCreation { r.ready(); return r.fds }

// RawForkAt returns the SYS_ name of the trap of the raw system call
// whose left parenthesis is at lparen, when it makes a new process:
// SYS_FORK, SYS_CLONE without CLONE_THREAD, SYS_RFORK with RFPROC and
// the like (ForkTraps).
func (r *Result) RawForkAt(lparen token.Pos) (string, bool) {
	r.ready()
	trap, ok := r.rawForks[lparen]
	return trap, ok
}

// maxParamDepth bounds how far a flags parameter is followed through
// callers that pass their own parameters on.
const maxParamDepth = 3

// fdCreations lists the package's calls that create descriptors without
// close-on-exec and do not mark them, or mark them outside ForkLock.
func (e *engine) fdCreations() []FdCreation {
	var out []FdCreation
	for _, fn := range e.funcs {
		if e.localInstance(fn) || fn.Synthetic != "" || fn.Pkg != e.ssapkg {
			continue
		}
		var marks []fdMark
		found := false
		marksOf := func() []fdMark {
			if !found {
				marks, found = e.fdMarksOf(fn), true
			}
			return marks
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if cr, ok := e.fdCreation(fn, c, marksOf); ok {
					out = append(out, cr)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return e.posLess(out[i].Lparen, out[j].Lparen) })
	return out
}

// fdCreation returns the creation that the call c of fn makes, when it
// creates descriptors without close-on-exec that it does not mark under
// ForkLock (marks returns fn's marks).
func (e *engine) fdCreation(fn *ssa.Function, c ssa.CallInstruction, marks func() []fdMark) (FdCreation, bool) {
	common := c.Common()
	callee := common.StaticCallee()
	obj := funcObject(callee)
	lparen := common.Pos()
	if obj == nil || obj.Pkg() == nil || !lparen.IsValid() {
		return FdCreation{}, false
	}
	args := common.Args
	if s := e.calleeSummary(callee); s != nil && len(s.Fds) > 0 {
		return e.wrapperCreation(fn, c, obj, s.Fds[0], marks)
	}
	eff := FdEffectOf(obj, e.fdArgs(args))
	if eff.Kind != FdCreate {
		return FdCreation{}, false
	}
	fc, pkg := eff.Creator, obj.Pkg()
	cr := FdCreation{Lparen: lparen, Call: objectName(obj, e.pkg) + eff.What, PkgPath: pkg.Path(), PkgName: pkg.Name(),
		Pair: fc.Pair, Fix: fixCall(pkg, fc.Fixes), Direct: eff.What == "", FlagsArg: -1}
	if cr.Direct && fc.Fixed != "" && pkg.Scope().Lookup(fc.Fixed) != nil && pkg.Scope().Lookup(fc.FixedFlag) != nil {
		cr.Fixed, cr.FixedFlag, cr.FixedArgs = fc.Fixed, fc.FixedFlag, fc.FixedArgs
	}
	val, bit := fvLacks, constant.Value(nil)
	if fc.Flags >= 0 {
		if bit = pkgConst(pkg, fc.Cloexec); bit == nil {
			cr.Missing = fc.Cloexec
		} else {
			cr.Flag = fc.Cloexec
			if fc.Field != "" {
				val = e.fieldFlags(fn, args[fc.Flags], fc.Field, bit)
			} else {
				val = e.flagsOf(args[fc.Flags], bit)
				cr.FlagsArg = fc.Flags
			}
		}
	}
	if fc.Place == FdNewArg && e.isStdio(args[fc.FdArg]) {
		// dup2 onto standard input, output or error: the program
		// redirects its own stdio, which os/exec replaces in every
		// child anyway.
		return FdCreation{}, false
	}
	return e.judgeCreation(cr, val, bit, c, fc, args, marks)
}

// wrapperCreation is the creation of a call of a function (of this
// package or another) whose summary says it passes one of its
// parameters as the flags of an fd-creating call.
func (e *engine) wrapperCreation(fn *ssa.Function, c ssa.CallInstruction, obj *types.Func, fw FdWrapper, marks func() []fdMark) (FdCreation, bool) {
	args := c.Common().Args
	if fw.Param >= len(args) {
		return FdCreation{}, false
	}
	name := objectName(obj, e.pkg)
	cr := FdCreation{Lparen: c.Common().Pos(), Call: fw.Call + " through " + name, PkgPath: fw.Pkg, PkgName: path.Base(fw.Pkg),
		Flag: fw.Flag, Pair: fw.Pair, FlagsArg: -1,
		Chain: PrependStep(StepAt(e.fset, name, e.callStart(c.Common().Pos())), HopSteps(fw.Chain))}
	bit := constant.MakeInt64(fw.Bit)
	return e.judgeCreation(cr, e.flagsOf(args[fw.Param], bit), bit, c, FdCreator{Place: FdResult}, args, marks)
}

// judgeCreation completes cr, whose flags are val, when its descriptors
// leak or are marked outside ForkLock. Flags from a parameter are those
// every caller passes, unless the function is itself a wrapper (its
// callers are judged instead).
func (e *engine) judgeCreation(cr FdCreation, val flagVal, bit constant.Value, c ssa.CallInstruction, fc FdCreator, args []ssa.Value, marks func() []fdMark) (FdCreation, bool) {
	if val.k == flagParam {
		if s := e.summaries[val.fn]; s != nil && len(s.Fds) > 0 {
			return FdCreation{}, false
		}
		val = e.paramFlags(val.fn, val.param, bit, 0)
	}
	if val.k != flagLacks {
		return FdCreation{}, false // has the flag, or not known
	}
	used, ok := e.marksAfter(c.Parent(), marks(), c, fc, args)
	if !ok {
		return cr, true
	}
	if h, ok := e.forkHeld[cr.Lparen]; ok {
		same := true
		for _, m := range used {
			if hm, ok := e.forkHeld[m.pos]; !ok || hm.At != h.At {
				same = false
			}
		}
		if same {
			return FdCreation{}, false
		}
	}
	cr.Marked = true
	return cr, true
}

// calleeSummary returns the summary of a function called: its own, or
// its generic origin's.
func (e *engine) calleeSummary(fn *ssa.Function) *Summary {
	get := func(fn *ssa.Function) *Summary {
		if e.inPkg[fn] {
			return e.summaries[fn]
		}
		return e.summaryOf(fn)
	}
	if s := get(fn); s != nil {
		return s
	}
	if o := fn.Origin(); o != nil && o != fn {
		return get(o)
	}
	return nil
}

// paramFlags evaluates parameter i of fn for the bit: lacks when every
// call of fn in the package passes a value without it; unknown when fn
// is exported, a method, a closure, generic, used as a value or never
// called.
func (e *engine) paramFlags(fn *ssa.Function, i int, bit constant.Value, depth int) flagVal {
	if fn == nil || depth > maxParamDepth || !e.inPkg[fn] || fn.Parent() != nil || fn.Signature.Recv() != nil ||
		fn.TypeParams().Len() > 0 || fn.Origin() != nil {
		return fvUnknown
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Exported() {
		return fvUnknown
	}
	sites := e.calledOnly()[fn]
	if len(sites) == 0 {
		return fvUnknown
	}
	val := fvNone
	for _, s := range sites {
		args := s.Common().Args
		if i >= len(args) {
			return fvUnknown
		}
		v := e.flagsOf(args[i], bit)
		if v.k == flagParam {
			v = e.paramFlags(v.fn, v.param, bit, depth+1)
		}
		if val = joinFlags(val, v); val.k != flagLacks {
			return fvUnknown
		}
	}
	return val
}

// calledOnly maps each function of the package that is only ever called
// by name (never used as a value) to its calls, computed once.
func (e *engine) calledOnly() map[*ssa.Function][]ssa.CallInstruction {
	if e.callSites != nil {
		return e.callSites
	}
	sites := map[*ssa.Function][]ssa.CallInstruction{}
	valued := map[*ssa.Function]bool{}
	var ops []*ssa.Value
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var callee *ssa.Value
				c, isCall := instr.(ssa.CallInstruction)
				if isCall && !c.Common().IsInvoke() {
					callee = &c.Common().Value
				}
				ops = instr.Operands(ops[:0])
				for _, op := range ops {
					g, ok := (*op).(*ssa.Function)
					if !ok || !e.inPkg[g] {
						continue
					}
					if op == callee {
						sites[g] = append(sites[g], c)
					} else {
						valued[g] = true
					}
				}
			}
		}
	}
	for g := range valued {
		delete(sites, g)
	}
	e.callSites = sites
	return sites
}

// isStdio reports whether v is descriptor 0, 1 or 2: a constant, or a
// value computed from os.Stdin, os.Stdout, os.Stderr or their syscall
// counterparts (int(os.Stderr.Fd())).
func (e *engine) isStdio(v ssa.Value) bool {
	if k := e.constOf(v); k != nil {
		n, ok := constant.Int64Val(constant.ToInt(k))
		return ok && n >= 0 && n <= 2
	}
	seen := map[ssa.Value]bool{}
	var ops []*ssa.Value
	var find func(v ssa.Value, depth int) bool
	find = func(v ssa.Value, depth int) bool {
		if v == nil || seen[v] || depth > maxPlaceDepth {
			return false
		}
		seen[v] = true
		if g, ok := v.(*ssa.Global); ok {
			if g.Pkg == nil || g.Pkg.Pkg == nil {
				return false
			}
			p := g.Pkg.Pkg.Path()
			n := g.Name()
			return (p == "os" || SyscallPackage(p)) && (n == "Stdin" || n == "Stdout" || n == "Stderr")
		}
		instr, ok := v.(ssa.Instruction)
		if !ok {
			return false
		}
		ops = instr.Operands(ops[:0])
		for _, op := range append([]*ssa.Value(nil), ops...) {
			if find(*op, depth+1) {
				return true
			}
		}
		return false
	}
	return find(v, 0)
}

// callStart returns the position where the call whose left parenthesis
// is at lparen starts, for its witness (computed once per package).
func (e *engine) callStart(lparen token.Pos) token.Pos {
	if e.callStarts == nil {
		e.callStarts = map[token.Pos]token.Pos{}
		for _, f := range e.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					e.callStarts[call.Lparen] = call.Pos()
				}
				return true
			})
		}
	}
	if p, ok := e.callStarts[lparen]; ok {
		return p
	}
	return lparen
}

var fixNames = regexp.MustCompile(`%\[1\]s\.([A-Za-z0-9_]+)`)

// fixCall returns the first of fixes whose names all exist in pkg,
// rendered for it, or "".
func fixCall(pkg *types.Package, fixes []string) string {
next:
	for _, f := range fixes {
		for _, m := range fixNames.FindAllStringSubmatch(f, -1) {
			if pkg.Scope().Lookup(m[1]) == nil {
				continue next
			}
		}
		return fmt.Sprintf(f, pkg.Name())
	}
	return ""
}

// rawForks finds the raw system calls of the package that make a new
// process, with the name of their trap.
func (e *engine) rawForks() map[token.Pos]string {
	out := map[token.Pos]string{}
	for _, fn := range e.funcs {
		if e.localInstance(fn) || fn.Pkg != e.ssapkg {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if trap, ok := e.rawFork(c); ok {
					out[c.Common().Pos()] = trap
				}
			}
		}
	}
	return out
}

// rawFork returns the trap of a raw system call that forks: clone with
// CLONE_THREAD makes a thread, not a process (flags that cannot be
// evaluated do not make it one); rfork makes a process only with RFPROC
// (without, it changes what the calling process shares: Plan 9
// namespaces).
func (e *engine) rawFork(c ssa.CallInstruction) (string, bool) {
	obj := funcObject(c.Common().StaticCallee())
	args := c.Common().Args
	if !RawSyscall(obj) || len(args) == 0 {
		return "", false
	}
	pkg := obj.Pkg()
	trap, ok := TrapName(pkg, e.constOf(args[0]), ForkTraps())
	if !ok {
		return "", false
	}
	switch trap {
	case "SYS_CLONE":
		if bit := pkgConst(pkg, "CLONE_THREAD"); bit != nil && len(args) > 1 && e.flagsOf(args[1], bit).k == flagHas {
			return "", false
		}
	case "SYS_RFORK":
		bit := pkgConst(pkg, "RFPROC")
		if bit == nil || len(args) < 2 || e.flagsOf(args[1], bit).k != flagHas {
			return "", false
		}
	}
	return trap, true
}
