package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// This file decides, for each call of the package, whether another
// goroutine may run when the call is made: one started before it on some
// path of its function (a go statement, a std function that starts one, a
// call whose summary leaves one running), or one started before some call
// of its function in the package, or before the function literal was
// made. forkafterthreads asks it before an exec and a raw fork.

// A Started is the witness to a goroutine start that may precede a call.
type Started struct {
	// Chain leads to the start: "go flush (a.go:3)", or "startWorker
	// (a.go:9) → go flush (a.go:3)".
	Chain []Step
	// Then lists the calls of the package's functions, made after the
	// start, that lead to the function of the call.
	Then []Step
}

// String renders the witness: "go flush (a.go:3), then reexec (a.go:4)".
func (s *Started) String() string {
	out := RenderSteps(s.Chain)
	for _, t := range s.Then {
		out += ", then " + t.String()
	}
	return out
}

// Steps returns the witness as one list of steps.
func (s *Started) Steps() []Step {
	return append(append([]Step(nil), s.Chain...), s.Then...)
}

// maxThen bounds the calls a start is carried through.
const maxThen = 4

// through returns the start as seen inside a function called at hop.
func (s *Started) through(hop Step) *Started {
	if len(s.Then) >= maxThen {
		return s
	}
	return &Started{Chain: s.Chain, Then: append(append([]Step(nil), s.Then...), hop)}
}

// StartedBefore returns the goroutine start that may run when the call
// whose left parenthesis is at lparen is made (nil when none), and
// whether the engine reached that call: false for calls it did not
// analyse (unreachable code, go and defer statements' own calls, packages
// that cannot fork or exec).
func (r *Result) StartedBefore(lparen token.Pos) (*Started, bool) {
	r.ready()
	s, ok := r.started[lparen]
	return s, ok
}

// ForkRelevant reports whether a package can fork, exec or create file
// descriptors: it imports syscall, golang.org/x/sys/unix or os/exec, or
// uses cgo.
func ForkRelevant(pkg *types.Package, files []*ast.File) bool {
	for _, imp := range pkg.Imports() {
		if p := imp.Path(); SyscallPackage(p) || p == "os/exec" || p == "runtime/cgo" {
			return true
		}
	}
	for _, f := range files {
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				return true
			}
		}
	}
	return false
}

// startedBefore computes, for every call of the package's functions
// (not a go or defer statement's own), the goroutine start that may
// precede it, nil when none. A function's entry state is the first start
// found before one of its calls in the package, or before its literal;
// each function is walked once more when its entry state is found.
func (e *engine) startedBefore() map[token.Pos]*Started {
	out := map[token.Pos]*Started{}
	entry := map[*ssa.Function]*Started{}
	var work []*ssa.Function
	queued := map[*ssa.Function]bool{}
	for _, fn := range e.funcs {
		if !e.localInstance(fn) {
			work = append(work, fn)
			queued[fn] = true
		}
	}
	enter := func(fn *ssa.Function, s *Started) {
		if o := fn.Origin(); o != nil {
			fn = o
		}
		if s == nil || entry[fn] != nil || !e.inPkg[fn] || len(fn.Blocks) == 0 {
			return
		}
		entry[fn] = s
		if !queued[fn] {
			work = append(work, fn)
			queued[fn] = true
		}
	}
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		queued[fn] = false
		e.startedIn(fn, entry[fn], out, enter)
	}
	return out
}

// startedIn walks fn from entry state in: the start before each block,
// to a fixed point (a start, once known, stays), then once more to record
// the state before each call and enter the callees.
func (e *engine) startedIn(fn *ssa.Function, in *Started, out map[token.Pos]*Started, enter func(*ssa.Function, *Started)) {
	if len(fn.Blocks) == 0 {
		return
	}
	before := make([]*Started, len(fn.Blocks))
	reached := make([]bool, len(fn.Blocks))
	work := []int{0}
	before[0], reached[0] = in, true
	if fn.Recover != nil {
		before[fn.Recover.Index], reached[fn.Recover.Index] = in, true
		work = append(work, fn.Recover.Index)
	}
	quiet := func(*ssa.Function, *Started) {}
	for len(work) > 0 {
		b := fn.Blocks[work[0]]
		work = work[1:]
		after, alive := e.startedBlock(b, before[b.Index], nil, quiet)
		if !alive {
			continue
		}
		for _, s := range b.Succs {
			switch {
			case !reached[s.Index]:
				before[s.Index], reached[s.Index] = after, true
				work = append(work, s.Index)
			case before[s.Index] == nil && after != nil:
				before[s.Index] = after
				work = append(work, s.Index)
			}
		}
	}
	for _, b := range fn.Blocks {
		if reached[b.Index] {
			e.startedBlock(b, before[b.Index], out, enter)
		}
	}
}

// startedBlock returns the start that may precede the end of b given st
// before it, and false when b does not complete (a call that never
// returns). With out set it records the state before each call.
func (e *engine) startedBlock(b *ssa.BasicBlock, st *Started, out map[token.Pos]*Started, enter func(*ssa.Function, *Started)) (*Started, bool) {
	var ops []*ssa.Value
	for _, instr := range b.Instrs {
		// Function literals start in the state where they are made.
		ops = instr.Operands(ops[:0])
		for _, op := range ops {
			if f, ok := (*op).(*ssa.Function); ok && f.Parent() != nil {
				enter(f, st)
			}
		}
		switch i := instr.(type) {
		case *ssa.Go:
			g := &Started{Chain: []Step{StepAt(e.fset, "go "+e.startedName(i.Call.StaticCallee()), i.Pos())}}
			if callee := i.Call.StaticCallee(); callee != nil {
				// It runs while its starter goes on.
				if st != nil {
					enter(callee, st)
				} else {
					enter(callee, g)
				}
			}
			if st == nil {
				st = g
			}
		case *ssa.Call:
			if out != nil {
				out[i.Pos()] = st
			}
			callee := i.Call.StaticCallee()
			if callee == nil {
				continue
			}
			if st != nil && callee.Parent() == nil {
				enter(callee, st.through(StepAt(e.fset, displayName(callee, e.pkg), i.Pos())))
			}
			if st == nil {
				st = e.goStartOf(i, callee)
			}
			if obj := funcObject(callee); obj != nil && NoReturn(e.fullName(obj)) {
				return st, false
			}
		}
	}
	return st, true
}

// startedName names the function a go statement starts, "func" for a
// literal or a value.
func (e *engine) startedName(fn *ssa.Function) string {
	if fn == nil || fn.Parent() != nil {
		return "func"
	}
	return displayName(fn, e.pkg)
}

// goStartOf returns the goroutine start that the call c of callee
// leaves running, or nil: a std function that starts one, or a function
// whose summary says so.
func (e *engine) goStartOf(c *ssa.Call, callee *ssa.Function) *Started {
	hop := StepAt(e.fset, displayName(callee, e.pkg), c.Pos())
	if obj := funcObject(callee); obj != nil && StartsGoroutine(e.fullName(obj)) {
		return &Started{Chain: []Step{hop}}
	}
	fn := callee
	if o := fn.Origin(); o != nil && e.inPkg[o] {
		fn = o
	}
	if s := e.summaryOf(fn); s != nil && len(s.Go) > 0 {
		return &Started{Chain: PrependStep(hop, s.Go[0].Steps(""))}
	}
	return nil
}
