package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Reachability between values of the package, for keepalive: which
// objects a value keeps reachable, following only the references the
// package's code makes (its stores, composite literals, closures and
// method values), never what a type would allow.

// A slot is where a value was stored: into a variable or through a
// pointer (selWhole), into a struct field (its index), or into an
// element of an array, slice or map (selElem).
type slot struct {
	sel   int
	name  string // the field's name
	val   ssa.Value
	pos   token.Pos
	block *ssa.BasicBlock // where the store is
}

const (
	selWhole = -1
	selElem  = -2
)

// maxReachDepth bounds the steps of one search; maxReachNodes the values
// one search visits.
const (
	maxReachDepth = 12
	maxReachNodes = 2000
)

// A storeIndex lists the stores of the package by what they store into:
// cells are the variables (an Alloc stored through directly, or through a
// closure's free variable), slots the objects stored into through a field
// or element address or a pointer, by the object's origin.
type storeIndex struct {
	cells map[*ssa.Alloc][]slot
	slots map[ssa.Value][]slot
}

// stores returns the package's store index, built once.
func (e *engine) stores() *storeIndex {
	if e.storeX != nil {
		return e.storeX
	}
	x := &storeIndex{cells: map[*ssa.Alloc][]slot{}, slots: map[ssa.Value][]slot{}}
	e.storeX = x
	type pending struct {
		base ssa.Value
		s    slot
	}
	var rest []pending
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch st := instr.(type) {
				case *ssa.Store:
					switch a := st.Addr.(type) {
					case *ssa.FieldAddr:
						rest = append(rest, pending{a.X, slot{sel: a.Field, name: fieldName(a.X.Type(), a.Field), val: st.Val, pos: st.Pos(), block: b}})
					case *ssa.IndexAddr:
						rest = append(rest, pending{a.X, slot{sel: selElem, val: st.Val, pos: st.Pos(), block: b}})
					default:
						if cell := e.localVar(st.Addr, 0); cell != nil {
							x.cells[cell] = append(x.cells[cell], slot{sel: selWhole, val: st.Val, pos: st.Pos(), block: b})
						} else {
							rest = append(rest, pending{st.Addr, slot{sel: selWhole, val: st.Val, pos: st.Pos(), block: b}})
						}
					}
				case *ssa.MapUpdate:
					rest = append(rest,
						pending{st.Map, slot{sel: selElem, val: st.Key, pos: st.Pos(), block: b}},
						pending{st.Map, slot{sel: selElem, val: st.Value, pos: st.Pos(), block: b}})
				}
			}
		}
	}
	// The objects stored into, resolved with the variables known (but
	// not what fields hold: the index is being built).
	for _, p := range rest {
		for _, o := range e.origins(p.base, false) {
			x.slots[o] = append(x.slots[o], p.s)
		}
	}
	return x
}

// overwritten reports whether the store s into a variable or a field of
// holder may be overwritten by the same store with another value before
// the object is collected: the store is in a loop, and holder is made
// outside it (a parameter, a variable declared before the loop). An
// element store is never overwritten that way: a slice or map filled in a
// loop holds every value.
func (e *engine) overwritten(s slot, holder ssa.Value) bool {
	if s.sel == selElem || s.block == nil || !e.inLoop(s.block) {
		return false
	}
	h, ok := holder.(ssa.Instruction)
	if !ok || h.Block() == nil || h.Parent() != s.block.Parent() {
		return true
	}
	// A holder made in the same loop is a new one each time round.
	hb := h.Block()
	return !(hb == s.block || (reachable(s.block, hb, nil) && reachable(hb, s.block, nil)))
}

// fieldName returns the name of field i of the struct that t (a pointer
// to a struct) points to.
func fieldName(t types.Type, i int) string {
	st, _ := structOf(t)
	if st == nil || i < 0 || i >= st.NumFields() {
		return ""
	}
	return st.Field(i).Name()
}

// origins returns the values that v may be, by identity: v seen through
// conversions, φ-nodes, closures' free variables and loads of variables,
// and, with fields set, loads of fields and elements that the package
// stores into. A value whose origin is unknown (a parameter, a call's
// result, a load nothing is known to store into) is its own origin.
func (e *engine) origins(v ssa.Value, fields bool) []ssa.Value {
	var out []ssa.Value
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value, depth int)
	walk = func(v ssa.Value, depth int) {
		if v == nil || seen[v] || depth > maxReachDepth {
			return
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.MakeInterface:
			walk(x.X, depth+1)
		case *ssa.ChangeType:
			walk(x.X, depth+1)
		case *ssa.ChangeInterface:
			walk(x.X, depth+1)
		case *ssa.Convert:
			walk(x.X, depth+1)
		case *ssa.SliceToArrayPointer:
			walk(x.X, depth+1)
		case *ssa.Slice:
			walk(x.X, depth+1)
		case *ssa.TypeAssert:
			walk(x.X, depth+1)
		case *ssa.Extract:
			if ta, ok := x.Tuple.(*ssa.TypeAssert); ok && x.Index == 0 {
				walk(ta.X, depth+1)
			} else {
				out = append(out, v)
			}
		case *ssa.FreeVar:
			if b := e.binding(x); b != nil {
				walk(b, depth+1)
			} else {
				out = append(out, v)
			}
		case *ssa.Phi:
			for _, edge := range x.Edges {
				walk(edge, depth+1)
			}
		case *ssa.Const:
			// nil or a constant: no object
		case *ssa.UnOp:
			if x.Op != token.MUL {
				out = append(out, v)
				return
			}
			vals := e.loaded(x.X, fields)
			if len(vals) == 0 {
				out = append(out, v)
			}
			for _, s := range vals {
				walk(s.val, depth+1)
			}
		default:
			out = append(out, v)
		}
	}
	walk(v, 0)
	return out
}

// loaded returns the stores that a load from addr may read: those into
// the variable at addr and, with fields set, those into the same field
// or element of the same object.
func (e *engine) loaded(addr ssa.Value, fields bool) []slot {
	if cell := e.localVar(addr, 0); cell != nil {
		return e.stores().cells[cell]
	}
	if !fields {
		return nil
	}
	var base ssa.Value
	sel := selWhole
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		base, sel = a.X, a.Field
	case *ssa.IndexAddr:
		base, sel = a.X, selElem
	default:
		base = addr
	}
	var out []slot
	for _, o := range e.origins(base, false) {
		for _, s := range e.stores().slots[o] {
			if s.sel == sel {
				out = append(out, s)
			}
		}
	}
	return out
}

// mayPoint reports whether a value of type t can hold a strong reference
// to an object: uintptr, strings and other basic values cannot, and
// neither can a weak.Pointer.
func mayPoint(t types.Type) bool {
	return mayPointDepth(t, 0)
}

func mayPointDepth(t types.Type, depth int) bool {
	if depth > maxReachDepth {
		return true
	}
	t = types.Unalias(t)
	if isNamed(t, "weak", "Pointer") {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Struct:
		for i := range u.NumFields() {
			if mayPointDepth(u.Field(i).Type(), depth+1) {
				return true
			}
		}
		return false
	case *types.Array:
		return u.Len() > 0 && mayPointDepth(u.Elem(), depth+1)
	case *types.Tuple:
		return true
	}
	return true
}
