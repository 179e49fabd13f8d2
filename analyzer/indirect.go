package analyzer

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// Roots installed through indirection: signal.Notify, NotifyContext,
// SetFinalizer and AddCleanup called through a func-typed variable or
// field that the package assigns the std function
// (r.notify = signal.Notify in a constructor, r.notify(r.ch, ...) in a
// method). The package's own stores, and the arguments its callers
// pass for a parameter, say what such a call may be: no call graph is
// needed.

// installs reports whether the std function full installs a root.
func installs(full string) bool {
	if full == notifyFunc || full == notifyContextFunc {
		return true
	}
	_, ok := finalizerCalls[full]
	return ok
}

// installers maps each variable or field class of the package to the std
// functions that install roots and that the package stores into it,
// sorted. It is built once, from the package's stores.
func (e *engine) installers() map[string][]string {
	if e.installX != nil {
		return e.installX
	}
	e.installX = map[string][]string{}
	for st := range e.allStores {
		full := e.installerName(st.Val)
		if full == "" {
			continue
		}
		if p := e.addrPlace(st.Addr, 0); p.class != "" && !p.local {
			if l := e.installX[p.class]; !slices.Contains(l, full) {
				l = append(l, full)
				slices.Sort(l)
				e.installX[p.class] = l
			}
		}
	}
	return e.installX
}

// installerName returns the name of the std function that installs roots
// and that v is, through conversions, or "".
func (e *engine) installerName(v ssa.Value) string {
	fn, ok := unwrapValue(v).(*ssa.Function)
	if !ok {
		return ""
	}
	if obj := funcObject(fn); obj != nil && obj.Pkg() != nil && isStd(obj.Pkg().Path()) {
		if full := e.fullName(obj); installs(full) {
			return full
		}
	}
	return ""
}

// indirectInstalls returns the std functions that install roots and that
// a call through a function value may call, sorted (see installerValues).
// It returns nil for a static call and for a method call through an
// interface.
func (e *engine) indirectInstalls(c ssa.CallInstruction) []string {
	common := c.Common()
	if common.IsInvoke() || common.StaticCallee() != nil {
		return nil
	}
	if _, ok := common.Value.(*ssa.Builtin); ok {
		return nil
	}
	var out []string
	e.installerValues(common.Value, 0, &out)
	slices.Sort(out)
	return out
}

// installerValues adds to out the std functions that install roots and
// that the function value v may be: the values of a local variable,
// closure binding or φ-node that are such a function, those the package
// stores into the field or variable v is loaded from, and, for a
// parameter, those its callers in the package pass (through three calls
// at most).
func (e *engine) installerValues(v ssa.Value, depth int, out *[]string) {
	add := func(full string) {
		if full != "" && !slices.Contains(*out, full) {
			*out = append(*out, full)
		}
	}
	for _, fn := range e.funcValues(v, 0) {
		add(e.installerName(fn))
	}
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return
		}
		if p := e.addrPlace(x.X, 0); p.class != "" && !p.local {
			for _, full := range e.installers()[p.class] {
				add(full)
			}
		}
	case *ssa.Parameter:
		if depth >= 3 {
			return
		}
		i := paramIndex(x)
		for _, c := range e.callers[x.Parent()] {
			if args := callArgs(c.Common()); i >= 0 && i < len(args) {
				e.installerValues(args[i], depth+1, out)
			}
		}
	}
}

// installedBy returns the name of the std function that installs roots
// and that call c calls, or "": its static callee, or what
// indirectInstalls finds (one function at most: they have different
// types).
func (e *engine) installedBy(c ssa.CallInstruction) string {
	if obj := funcObject(c.Common().StaticCallee()); obj != nil {
		if full := e.fullName(obj); installs(full) {
			return full
		}
		return ""
	}
	if l := e.indirectInstalls(c); len(l) > 0 {
		return l[0]
	}
	return ""
}
