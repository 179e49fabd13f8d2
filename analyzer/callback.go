package analyzer

import (
	"fmt"
	"go/token"
	"slices"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// Callback facts follow, in the modular mode, the func values that a root
// calls out of a field of an exported type. The package that declares the
// root cannot see the functions its importers store there; the importer
// cannot see the root. So the summary of a function says which such
// fields it calls, with the locks held at each call (FieldCall), and
// which fields it stores its parameters into (FieldStore, a registering
// method); the package fact Callbacks says which fields the roots of the
// package and of its imports call. A package that stores a function into
// one of those fields has that function analysed as part of the root,
// with the locks held, and the findings go to the store: the library's
// part of the path is in the witness, never a diagnostic in its files.
// Package-level variables of func or []func type are callback fields
// too (see callbackvar.go).

// A FieldCall is a call of a func value loaded from a field of an
// exported struct type, or from an element of such a field of slice
// type.
type FieldCall struct {
	// Field is the field's class, named like a lock class:
	// "example.com/lib.Lib.onShutdown", or a package-level variable's:
	// "example.com/lib.hooks".
	Field string
	// Held lists the locks held at the call, by class, each with its
	// chain from the function to the acquisition.
	Held []Op
	// Chain is the witness from the function to the call, whose
	// position is its last hop.
	Chain []Hop
	// Pkg is the path of the package whose function makes the call.
	Pkg string
}

// A FieldStore says that a function stores the function (or the
// functions of the slice) its parameter Param holds into the field of
// class Field: by assignment or append, itself or through what it calls.
type FieldStore struct {
	Param int
	Field string
}

// A Callback is a call that a root makes of the func values of a field.
type Callback struct {
	// Kind and Root are the root's kind and its qualified name
	// ("(*lib.Lib).watch").
	Kind RootKind
	Root string
	// Call is the call, its chains starting at the root's function.
	Call FieldCall
}

// Callbacks is the package fact that lists the calls of func values
// from fields that the roots of this package and of the packages it
// imports make, sorted.
type Callbacks struct {
	List []Callback
}

// AFact marks Callbacks as an analysis fact.
func (*Callbacks) AFact() {}

func (c *Callbacks) String() string { return fmt.Sprintf("callbacks(%d)", len(c.List)) }

// Bounds that keep callback facts small.
const (
	maxFieldCalls = 8   // per summary
	maxFieldHeld  = 4   // locks held, per call
	maxCallbacks  = 128 // per package fact
)

// callbackField returns the class of the field that fa selects when it
// is a field of an exported struct type holding a function or a slice of
// functions, or "".
func callbackField(fa *ssa.FieldAddr) string {
	st, named := structOf(fa.X.Type())
	if st == nil || named == nil || fa.Field >= st.NumFields() {
		return ""
	}
	obj := named.Obj()
	if obj.Pkg() == nil || !obj.Exported() {
		return ""
	}
	f := st.Field(fa.Field)
	if !isFuncOrFuncs(f.Type()) {
		return ""
	}
	return qualifiedName(obj.Pkg(), obj.Name()+"."+f.Name())
}

// funcField returns the class of the callback field (or package-level
// variable) that the called func value v is loaded from, and whether it
// is exported: the field itself (l.hook()), or an element of the slice
// it holds (for _, f := range l.hooks { f() }), also of a copy made with
// append.
func funcField(v ssa.Value) (string, bool) {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return "", false
	}
	if a, ok := ld.X.(*ssa.IndexAddr); ok {
		return sliceField(a.X, 0)
	}
	return callbackPlace(ld.X)
}

// sliceField returns the class of the callback field (or variable) whose
// slice s is, and whether it is exported: a load of it, a reslice, or an
// append of its elements to another slice.
func sliceField(s ssa.Value, depth int) (string, bool) {
	if depth > maxPlaceDepth {
		return "", false
	}
	switch x := s.(type) {
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return callbackPlace(x.X)
		}
	case *ssa.Slice:
		return sliceField(x.X, depth+1)
	case *ssa.Call:
		if isAppend(x) && len(x.Call.Args) == 2 {
			return sliceField(x.Call.Args[1], depth+1)
		}
	}
	return "", false
}

// isAppend reports whether c calls the builtin append.
func isAppend(c *ssa.Call) bool {
	b, ok := c.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "append"
}

// fieldCall records a call of a func value loaded from a callback field
// that other packages can set, with the locks held at it.
func (w *walker) fieldCall(instr ssa.CallInstruction, held heldSet) {
	if !w.record || w.mode == walkPrefix {
		return
	}
	field, exported := funcField(instr.Common().Value)
	if field == "" || !exported && !w.e.registrable[field] {
		return
	}
	fc := FieldCall{Field: field, Chain: []Hop{w.e.at(instr.Pos())}, Pkg: w.e.pkg.Path()}
	for _, h := range held {
		fc.Held = addFieldHeld(fc.Held, h.op)
	}
	w.addFieldCall(fc)
}

// calleeFieldCalls restates the field calls of a callee's summary s in
// the caller, through the call at hop h, under the locks held there.
func (w *walker) calleeFieldCalls(s *Summary, h Hop, held heldSet) {
	if !w.record || w.mode == walkPrefix || len(s.Calls) == 0 {
		return
	}
	for _, fc := range s.Calls {
		out := FieldCall{Field: fc.Field, Chain: prepend(h, fc.Chain), Pkg: fc.Pkg}
		for _, x := range held {
			out.Held = addFieldHeld(out.Held, x.op)
		}
		for _, op := range fc.Held {
			op.Chain = prepend(h, op.Chain)
			out.Held = addFieldHeld(out.Held, op)
		}
		w.addFieldCall(out)
	}
}

// addFieldHeld adds the lock op to the locks held at a field call, once
// per class, as flat data: no parameter, no guard.
func addFieldHeld(list []Op, op Op) []Op {
	if op.Class == "" || !op.Kind.IsLock() || len(list) >= maxFieldHeld ||
		slices.ContainsFunc(list, func(x Op) bool { return x.Class == op.Class }) {
		return list
	}
	op.Param, op.ByValue, op.Guard, op.Holder, op.End, op.Ends = -1, false, nil, 0, 0, nil
	list = append(list, op)
	sort.Slice(list, func(i, j int) bool { return list[i].Class < list[j].Class })
	return list
}

// addFieldCall adds a field call to the walker's, keeping one per field:
// the one with the most locks held, then the shortest witness.
func (w *walker) addFieldCall(fc FieldCall) {
	for i, old := range w.fieldCalls {
		if old.Field == fc.Field {
			if len(fc.Held) > len(old.Held) || len(fc.Held) == len(old.Held) &&
				(betterChain(fc.Chain, old.Chain) || !betterChain(old.Chain, fc.Chain) && heldClasses(fc.Held) < heldClasses(old.Held)) {
				w.fieldCalls[i] = fc
			}
			return
		}
	}
	if len(w.fieldCalls) < maxFieldCalls {
		w.fieldCalls = append(w.fieldCalls, fc)
	}
}

// heldClasses identifies the locks held at a field call.
func heldClasses(ops []Op) string {
	k := ""
	for _, op := range ops {
		k += op.Class + "|" + op.Kind.String() + ";"
	}
	return k
}

// fieldCallList returns the walker's field calls, sorted.
func (w *walker) fieldCallList() []FieldCall {
	if len(w.fieldCalls) == 0 {
		return nil
	}
	out := slices.Clone(w.fieldCalls)
	sortFieldCalls(out)
	return out
}

func sortFieldCalls(list []FieldCall) {
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		if ka, kb := heldClasses(a.Held), heldClasses(b.Held); ka != kb {
			return ka < kb
		}
		return compareChains(a.Chain, b.Chain) < 0
	})
}
