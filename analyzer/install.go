package analyzer

import (
	"cmp"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Installed roots: a root that lives in a dependency is reported in the
// analysed packages, never in the dependency's files. When its hazard
// needs a callback of the program, the callback facts report it at the
// registration of that callback (callbackroot.go). When it needs none —
// a dependency's constructor registers a finalizer that takes a lock
// held elsewhere across a wait that can last forever — it is reported at
// the call that installs it: the first call, in a package, of a function
// of another module whose summary says that calling it registers that
// root (Summary.Installs). Within one module the root is reported at its
// registration only.

// An Install says that calling a function registers a root (in the
// function itself or in what it calls statically), and what the root
// reaches that a rule looks at, as the root's package found it. Its
// hazard is judged where it is read, as the root's own.
type Install struct {
	Kind RootKind
	// Root names the root's function with its package, Name as the
	// root's package names it (join hops of that package's witnesses
	// name it so).
	Root, Name string
	// Pkg is the path of the package that registers the root, Module
	// its module; From is the module of the function whose summary holds
	// the Install (see moduleOf).
	Pkg, Module, From string
	// Chain is the witness from the function to the registration: its
	// last hop is the call of SetFinalizer or AddCleanup (or of the
	// helper that forwards to them), or of signal.Notify or
	// signal.NotifyContext for a signal handler.
	Chain []Hop
	// What the root reaches, its chains from the root's function (see
	// Root): lock acquisitions of known classes, waits that can last
	// forever, relocks, the channel operations only the root performs,
	// and what it does before it takes each lock.
	Locks   []Op
	Waits   []Op
	Relocks []Relock
	Alone   []Op
	Before  []BeforeLock
	// Ignored lists, sorted, the rules that a //finalock:ignore
	// directive with a reason suppresses at the root's registration in
	// its package: its maintainers judged those findings harmless, and
	// they are not reported at the calls that install it either.
	Ignored []string
}

// A BeforeLock lists the channel operations a root performs before it
// takes the lock class Class, on every path (Root.Before as a slice:
// facts hold no maps).
type BeforeLock struct {
	Class string
	Ops   []Op
}

// An Installed says how a root of another module comes to run: the call
// of Via in this package, and the witness from that call to the
// registration.
type Installed struct {
	// Via names the function called, as this package names it.
	Via string
	// Chain starts with the call of Via, in this package, and ends with
	// the registration, in the dependency.
	Chain []Hop
	// Pkg is the package that registers the root.
	Pkg string
	// Ignored lists the rules suppressed at the registration (see
	// Install.Ignored).
	Ignored []string
}

// Bounds of installs: per summary, per install (the operations of each
// kind kept, shortest witness first), and the length of an install's
// chain beyond which it is not passed on to callers.
const (
	maxInstalls     = 8
	maxInstallOps   = 4
	maxInstallChain = maxChain
)

// key identifies the root an Install registers: its kind, function,
// package and registration site.
func (in Install) key() string {
	site := ""
	if n := len(in.Chain); n > 0 {
		site = in.Chain[n-1].Pos()
	}
	return in.Kind.String() + "|" + in.Pkg + "|" + in.Root + "|" + site
}

// betterInstall reports whether a's witness is better than b's: shorter,
// then first in a fixed order.
func betterInstall(a, b Install) bool {
	if len(a.Chain) != len(b.Chain) {
		return len(a.Chain) < len(b.Chain)
	}
	return chainKey(a.Chain) < chainKey(b.Chain)
}

// moduleOf returns the module of the package analysed: the driver's
// module path, or, when the driver gives none (GOPATH mode, drivers
// that do not fill analysis.Pass.Module), a guess from the package path
// (see guessModule).
func (e *engine) moduleOf() string {
	if m := e.pass.Module; m != nil && m.Path != "" {
		return m.Path
	}
	return guessModule(e.pkg.Path())
}

// guessModule guesses the module of a package path: the first element
// of a path without a domain ("vetmod/a" → "vetmod"), three elements on
// the hosts whose paths name an owner and a repository (github.com,
// gitlab.com, bitbucket.org, golang.org/x), two elsewhere
// ("go.uber.org/zap/zapcore" → "go.uber.org/zap"). A nested module is
// taken for its parent's: the guess errs towards one module, where a
// root is reported at its registration only.
func guessModule(path string) string {
	elems := strings.Split(path, "/")
	n := 2
	switch {
	case !strings.Contains(elems[0], "."):
		n = 1
	case elems[0] == "github.com" || elems[0] == "gitlab.com" || elems[0] == "bitbucket.org" || elems[0] == "golang.org":
		n = 3
	}
	return strings.Join(elems[:min(n, len(elems))], "/")
}

// ownInstall returns the Install of a finalizer, cleanup or signal
// handler registered in the package, for the function that registers it
// (the call of SetFinalizer or AddCleanup, or of signal.Notify for a
// handler), when it reaches something a rule looks at.
func (e *engine) ownInstall(r *Root, held map[string]bool) (Install, bool) {
	site := r.site
	if r.Kind == RootSignal {
		site = r.notify
	}
	if r.callback || site == nil || !r.Pos.IsValid() {
		return Install{}, false
	}
	in := Install{Kind: r.Kind, Root: r.QName, Name: r.Name, Pkg: e.pkg.Path(), Module: e.moduleOf()}
	inline := Finalizers() == Inline && r.Kind != RootSignal
	for _, op := range r.Locks {
		// A lock is evidence only where some code holds it across
		// something (see heldClasses); under finalizers=inline, every
		// lock of a finalizer is.
		if op.Class != "" && (inline || held[op.Class]) && len(in.Locks) < 2*maxInstallOps {
			in.Locks = append(in.Locks, op)
		}
	}
	waits := slices.Clone(r.Waits)
	slices.SortStableFunc(waits, func(a, b Op) int { return cmp.Compare(len(a.Chain), len(b.Chain)) })
	in.Waits = waits[:min(len(waits), maxInstallOps)]
	in.Relocks = r.Relocks[:min(len(r.Relocks), maxInstallOps)]
	if len(in.Locks)+len(in.Waits)+len(in.Relocks) == 0 {
		return Install{}, false
	}
	if len(in.Locks) > 0 {
		// What only the root does matters for the holders of its locks.
		in.Alone = r.Alone[:min(len(r.Alone), maxInstallOps)]
	}
	for class, ops := range r.Before {
		if slices.ContainsFunc(in.Locks, func(op Op) bool { return op.Class == class }) {
			in.Before = append(in.Before, BeforeLock{Class: class, Ops: ops})
		}
	}
	slices.SortFunc(in.Before, func(a, b BeforeLock) int { return strings.Compare(a.Class, b.Class) })
	name := map[RootKind]string{RootFinalizer: "runtime.SetFinalizer", RootCleanup: "runtime.AddCleanup", RootSignal: "signal.Notify"}[r.Kind]
	for _, ce := range e.callees(site) {
		name = e.callName(ce.fn)
		break
	}
	in.Chain = []Hop{e.hop(name, site.Pos())}
	in.Ignored = e.ignoredAt(r.Pos)
	return in, true
}

// ignoredAt returns, sorted, the rules that the package's
// //finalock:ignore directives with a reason suppress at pos.
func (e *engine) ignoredAt(pos token.Pos) []string {
	if e.directives == nil {
		e.directives = parseDirectives(e.pass)
		if e.directives == nil {
			e.directives = []*directive{}
		}
	}
	p := e.fset.Position(pos)
	var out []string
	for _, d := range e.directives {
		if d.file != p.Filename || p.Line < d.from || p.Line > d.to || d.reason == "" {
			continue
		}
		for _, name := range d.rules {
			if r, ok := resolveRule(name); ok && !slices.Contains(out, r.Name) {
				out = append(out, r.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// attachInstalls puts into the summaries of the package's functions the
// roots that calling each registers: those registered in the function,
// and those of the functions it calls statically, of the package and of
// other packages (their summaries' Installs), the shortest witness for
// each root, at most maxInstalls.
func (e *engine) attachInstalls(roots []*Root) {
	best := map[*ssa.Function]map[string]Install{}
	var work []*ssa.Function
	offer := func(fn *ssa.Function, in Install) {
		m := best[fn]
		if m == nil {
			m = map[string]Install{}
			best[fn] = m
		}
		k := in.key()
		if old, ok := m[k]; ok && !betterInstall(in, old) {
			return
		}
		m[k] = in
		work = append(work, fn)
	}
	var held map[string]bool
	for _, r := range roots {
		if held == nil {
			held = e.heldClasses()
		}
		if in, ok := e.ownInstall(r, held); ok {
			site := r.site
			if r.Kind == RootSignal {
				site = r.notify
			}
			offer(site.Parent(), in)
		}
	}
	for c := range e.calls {
		g := c.Common().StaticCallee()
		if g == nil || e.inPkg[g] {
			continue
		}
		s := e.summaryOf(g)
		if s == nil {
			continue
		}
		for _, in := range s.Installs {
			if len(in.Chain) < maxInstallChain {
				in.Chain = prepend(e.hop(e.callName(g), c.Pos()), in.Chain)
				offer(c.Parent(), in)
			}
		}
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		ins := sortedInstalls(best[fn])
		for _, c := range e.callers[fn] {
			if _, isGo := c.(*ssa.Go); isGo {
				continue
			}
			if g := c.Common().StaticCallee(); g == nil || (g != fn && g.Origin() != fn) {
				continue
			}
			for _, in := range ins {
				if len(in.Chain) < maxInstallChain {
					in.Chain = prepend(e.hop(e.callName(fn), c.Pos()), in.Chain)
					offer(c.Parent(), in)
				}
			}
		}
	}
	mod := e.moduleOf()
	for fn, m := range best {
		ins := sortedInstalls(m)
		if len(ins) > maxInstalls {
			ins = ins[:maxInstalls]
		}
		for i := range ins {
			ins[i].From = mod
		}
		s := e.summaries[fn]
		if s == nil {
			s = new(Summary)
			e.summaries[fn] = s
		}
		s.Installs = ins
	}
}

// heldClasses returns the lock classes that some critical section holds
// across something, in the package or in those it imports (their
// package facts): the only locks of a root that can be evidence for an
// importer, whose own code holds the locks of its own classes.
func (e *engine) heldClasses() map[string]bool {
	out := map[string]bool{}
	for _, h := range e.held {
		out[h.Class] = true
	}
	for _, imp := range e.pkg.Imports() {
		var t Tables
		if !isStd(imp.Path()) && e.pass.ImportPackageFact(imp, &t) {
			for _, h := range t.Held {
				out[h.Class] = true
			}
		}
	}
	return out
}

// sortedInstalls returns the Installs of m by key.
func sortedInstalls(m map[string]Install) []Install {
	out := make([]Install, 0, len(m))
	for _, in := range m {
		out = append(out, in)
	}
	slices.SortFunc(out, func(a, b Install) int { return strings.Compare(a.key(), b.key()) })
	return out
}

// installRoots returns the roots that the package's calls of functions
// of other modules install: for each root, one at the first such call
// in the package's files. A root of the package's own module is
// reported at its registration, and a call of a function of the own
// module reaches the dependency through a call that is reported where
// that function's package is analysed.
func (e *engine) installRoots() []*Root {
	mod := e.moduleOf()
	type found struct {
		in  Install
		via string
		pos token.Pos
	}
	first := map[string]found{}
	for c := range e.calls {
		g := c.Common().StaticCallee()
		if g == nil || e.inPkg[g] || !c.Pos().IsValid() {
			continue
		}
		s := e.summaryOf(g)
		if s == nil {
			continue
		}
		for _, in := range s.Installs {
			if in.Module == mod || in.From == mod || in.From == "" {
				continue
			}
			k := in.key()
			if old, ok := first[k]; ok && !e.posLess(c.Pos(), old.pos) {
				continue
			}
			in.Chain = prepend(e.hop(e.callName(g), c.Pos()), in.Chain)
			first[k] = found{in, e.callName(g), c.Pos()}
		}
	}
	keys := make([]string, 0, len(first))
	for k := range first {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var roots []*Root
	for _, k := range keys {
		f := first[k]
		in := f.in
		r := &Root{Kind: in.Kind, Pos: f.pos, Name: in.Name, QName: in.Root,
			Locks: in.Locks, Waits: in.Waits, Relocks: in.Relocks, Alone: in.Alone,
			Install: &Installed{Via: f.via, Chain: in.Chain, Pkg: in.Pkg, Ignored: in.Ignored}}
		if len(in.Before) > 0 {
			r.Before = map[string][]Op{}
			for _, b := range in.Before {
				r.Before[b.Class] = b.Ops
			}
		}
		roots = append(roots, r)
	}
	return roots
}
