package analyzer

import (
	"go/token"

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
	// By names the function that makes it, when a call does (a
	// constructor that stores its argument into what it returns).
	By string
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
	for c := range e.calls {
		if k := e.keepAliveAt(c); k != nil {
			out = append(out, k)
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
