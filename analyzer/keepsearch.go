package analyzer

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// The search for what keeps an object reachable, from a finalizer's or
// cleanup's function or argument, over the references of reach.go.

// targets says what an object is in the code: the values it may be
// (same), and the objects that hold it in a field or element because it
// was loaded from there (held, by origin).
type targets struct {
	same map[ssa.Value]bool
	held map[ssa.Value][]Ref
}

// targetsOf returns the targets of the object obj.
func (e *engine) targetsOf(obj ssa.Value) targets {
	t := targets{same: map[ssa.Value]bool{}, held: map[ssa.Value][]Ref{}}
	for _, o := range e.origins(obj, true) {
		if !mayPoint(o.Type()) {
			continue
		}
		t.same[o] = true
		var base ssa.Value
		var ref Ref
		switch x := o.(type) {
		case *ssa.UnOp:
			switch a := x.X.(type) {
			case *ssa.FieldAddr:
				base, ref = a.X, Ref{Kind: RefField, Name: fieldName(a.X.Type(), a.Field), Pos: x.Pos()}
			case *ssa.IndexAddr:
				base, ref = a.X, Ref{Kind: RefElem, Pos: x.Pos()}
			}
		case *ssa.FieldAddr:
			// The object is a field of another: holding that one
			// holds it.
			base, ref = x.X, Ref{Kind: RefField, Name: fieldName(x.X.Type(), x.Field), Pos: x.Pos()}
		}
		if base == nil {
			continue
		}
		for _, b := range e.origins(base, true) {
			if !t.same[b] && len(t.held[b]) == 0 {
				t.held[b] = []Ref{ref}
			}
		}
	}
	return t
}

// reach returns the references by which the value v, given to the
// registration at position at, keeps one of the targets reachable,
// shortest first, and whether there are any.
func (e *engine) reach(v ssa.Value, t targets, at token.Pos) ([]Ref, bool) {
	type node struct {
		v    ssa.Value
		refs []Ref
	}
	queue := []node{{v, nil}}
	visited := map[ssa.Value]bool{}
	push := func(v ssa.Value, refs []Ref, r Ref) {
		if len(refs) >= maxReachDepth {
			return
		}
		next := make([]Ref, len(refs), len(refs)+1)
		copy(next, refs)
		if r.Kind != 0 {
			next = append(next, r)
		}
		queue = append(queue, node{v, next})
	}
	for n := 0; len(queue) > 0; n++ {
		if n == maxReachNodes {
			e.note("%s: keepalive: the search for what the registration keeps reachable stopped after %d values (limit)", e.posString(at), maxReachNodes)
			break
		}
		cur := queue[0]
		queue = queue[1:]
		if !mayPoint(cur.v.Type()) {
			continue
		}
		for _, o := range e.origins(cur.v, true) {
			if t.same[o] {
				return cur.refs, true
			}
			if visited[o] || !mayPoint(o.Type()) {
				continue
			}
			visited[o] = true
			if h := t.held[o]; len(h) > 0 {
				return append(append([]Ref(nil), cur.refs...), h...), true
			}
			if cell, ok := o.(*ssa.Alloc); ok {
				for _, s := range e.stores().cells[cell] {
					if !e.overwritten(s, cell) {
						push(s.val, cur.refs, Ref{})
					}
				}
			}
			for _, s := range e.stores().slots[o] {
				if !e.overwritten(s, o) {
					push(s.val, cur.refs, slotRef(s))
				}
			}
			switch x := o.(type) {
			case *ssa.MakeClosure:
				fn, _ := x.Fn.(*ssa.Function)
				if fn == nil {
					continue
				}
				if strings.HasSuffix(fn.Name(), "$bound") && len(x.Bindings) == 1 {
					push(x.Bindings[0], cur.refs, Ref{Kind: RefBound, Name: strings.TrimSuffix(fn.Name(), "$bound"), Pos: x.Pos()})
					continue
				}
				for i, b := range x.Bindings {
					if i < len(fn.FreeVars) {
						push(b, cur.refs, Ref{Kind: RefCapture, Name: fn.FreeVars[i].Name(), Pos: fn.Pos()})
					}
				}
			case *ssa.UnOp:
				// A struct or array loaded whole: what its fields and
				// elements were given.
				if x.Op != token.MUL || isPointer(x.Type()) {
					continue
				}
				for _, p := range e.origins(x.X, true) {
					for _, s := range e.stores().slots[p] {
						if !e.overwritten(s, p) {
							push(s.val, cur.refs, slotRef(s))
						}
					}
				}
			case *ssa.Call:
				// A function of the package that stores its argument
				// into what it returns.
				if x.Call.IsInvoke() {
					continue
				}
				callee := x.Call.StaticCallee()
				for _, h := range e.resultHolds(callee) {
					if h.param < len(x.Call.Args) {
						if h.ref.Kind != 0 {
							h.ref.By = displayName(callee, e.pkg)
						}
						push(x.Call.Args[h.param], cur.refs, h.ref)
					}
				}
			case *ssa.FieldAddr:
				// A field's address keeps the whole object alive.
				push(x.X, cur.refs, Ref{Kind: RefInto, Name: fieldName(x.X.Type(), x.Field), Pos: x.Pos()})
			case *ssa.IndexAddr:
				push(x.X, cur.refs, Ref{Kind: RefInto, Pos: x.Pos()})
			}
		}
	}
	return nil, false
}

// slotRef is the step into a slot.
func slotRef(s slot) Ref {
	switch {
	case s.sel >= 0:
		return Ref{Kind: RefField, Name: s.name, Pos: s.pos}
	case s.sel == selElem:
		return Ref{Kind: RefElem, Pos: s.pos}
	}
	return Ref{}
}

// isPointer reports whether t is a pointer type.
func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}
