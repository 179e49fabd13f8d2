package analyzer

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A KeepAlive is a finalizer or cleanup that can never run: the function
// registered, or the cleanup's argument, keeps the object reachable, and
// the runtime keeps both until the object is unreachable.
type KeepAlive struct {
	Kind RootKind
	// Pos is the registration: the call of SetFinalizer, AddCleanup or
	// the helper that forwards to them.
	Pos token.Pos
	// Func names the registered function ("Open.func1"), "" when it is
	// not known; FuncPos is where it is declared.
	Func    string
	FuncPos token.Pos
	// ObjPos is where the object is made or comes from, when known.
	ObjPos token.Pos
	// Via names the helper the call registers through
	// ("track.Track"), "" for a direct call.
	Via string
	// FromArg reports that the reference starts at the cleanup's
	// argument; otherwise it starts at the function.
	FromArg bool
	// Refs are the steps from the function or argument to the object,
	// in order; none when the argument is the object itself.
	Refs []Ref
	// Direct reports a func literal passed to SetFinalizer or
	// AddCleanup itself that captures the object's variable (Refs is
	// that one capture).
	Direct bool
}

// A Ref is one step of the reference that keeps an object reachable.
type Ref struct {
	Kind RefKind
	// Name is the field, the captured variable, or the bound method.
	Name string
	// Pos is where the code makes the reference: the store, the
	// closure, the method value; NoPos when unknown.
	Pos token.Pos
}

// RefKind says what a Ref goes through.
type RefKind uint8

// The kinds of Ref.
const (
	RefField   RefKind = iota + 1 // a struct field
	RefElem                       // an element of an array, slice or map
	RefCapture                    // a variable a closure captures
	RefBound                      // the receiver a method value is bound to
	RefInto                       // a pointer into the object (a field's address)
)

// findKeepAlives finds the registrations of the package whose function
// or argument keeps the object reachable, one finding per call.
func (e *engine) findKeepAlives() []*KeepAlive {
	var out []*KeepAlive
	for _, fn := range e.funcs {
		if e.localInstance(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				if k := e.keepAliveAt(c); k != nil {
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// keepAliveAt returns the finding for call c, or nil.
func (e *engine) keepAliveAt(c ssa.CallInstruction) *KeepAlive {
	args := callArgs(c.Common())
	for _, ce := range e.callees(c) {
		if ce.dynamic || ce.invoked {
			continue
		}
		for _, reg := range e.registrations(ce.fn) {
			if reg.obj < 0 || reg.obj >= len(args) || reg.index >= len(args) {
				continue
			}
			t := e.targetsOf(args[reg.obj])
			if len(t.same) == 0 || (reg.via == nil && e.undone(c, reg.kind, args[reg.obj])) {
				continue
			}
			k := &KeepAlive{Kind: reg.kind, Pos: c.Pos(), ObjPos: objPos(args[reg.obj])}
			if fns := e.funcValues(args[reg.index], 0); len(fns) == 1 {
				k.Func, k.FuncPos = displayName(fns[0], e.pkg), fns[0].Pos()
			}
			if reg.via != nil {
				k.Via = displayName(reg.via, e.pkg)
			}
			if reg.kind == RootCleanup && reg.arg >= 0 && reg.arg < len(args) {
				if refs, ok := e.reach(args[reg.arg], t, c.Pos()); ok {
					k.FromArg, k.Refs = true, refs
					return k
				}
			}
			if refs, ok := e.reach(args[reg.index], t, c.Pos()); ok && len(refs) > 0 {
				k.Refs = refs
				k.Direct = reg.via == nil && len(refs) == 1 && refs[0].Kind == RefCapture && isFuncLit(args[reg.index])
				return k
			}
		}
	}
	return nil
}

// objPos returns the position of the value that is the object, seen
// through conversions and variables, when it has one.
func objPos(v ssa.Value) token.Pos {
	for range maxReachDepth {
		switch x := unwrapValue(v).(type) {
		case *ssa.UnOp:
			if s := storedValue(x.X); x.Op == token.MUL && s != nil {
				v = s
				continue
			}
			return x.Pos()
		default:
			return x.Pos()
		}
	}
	return token.NoPos
}

// isFuncLit reports whether v is a func literal that captures variables.
func isFuncLit(v ssa.Value) bool {
	mc, ok := unwrapValue(v).(*ssa.MakeClosure)
	if !ok {
		return false
	}
	fn, ok := mc.Fn.(*ssa.Function)
	return ok && fn.Synthetic == "" && fn.Parent() != nil
}

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
					if !overwritten(s, cell) {
						push(s.val, cur.refs, Ref{})
					}
				}
			}
			for _, s := range e.stores().slots[o] {
				if !overwritten(s, o) {
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
						if !overwritten(s, p) {
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
				for _, h := range e.resultHolds(x.Call.StaticCallee()) {
					if h.param < len(x.Call.Args) {
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
