package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// allocation names the heap allocation instr performs, or returns "".
// Calls (append, allocating callees) are handled with the calls.
func allocation(instr ssa.Instruction, from *types.Package) string {
	qual := types.RelativeTo(from)
	switch i := instr.(type) {
	case *ssa.Alloc:
		if i.Heap {
			return heapAlloc(i, qual)
		}
	case *ssa.MakeSlice:
		return "make(" + types.TypeString(i.Type(), qual) + ")"
	case *ssa.MakeMap:
		return "make(" + types.TypeString(i.Type(), qual) + ")"
	case *ssa.MakeChan:
		return "make(" + types.TypeString(i.Type(), qual) + ")"
	case *ssa.MakeClosure:
		if len(i.Bindings) > 0 {
			return "closure"
		}
	case *ssa.MakeInterface:
		if _, isConst := i.X.(*ssa.Const); !isConst && !pointerShaped(i.X.Type()) {
			return "conversion of " + types.TypeString(i.X.Type(), qual) + " to interface"
		}
	case *ssa.MapUpdate:
		return "map insertion"
	case *ssa.BinOp:
		if i.Op == token.ADD && isString(i.Type()) {
			return "string concatenation"
		}
	case *ssa.Convert:
		if isString(i.Type()) != isString(i.X.Type()) && (isByteOrRuneSlice(i.Type()) || isByteOrRuneSlice(i.X.Type())) {
			return "conversion to " + types.TypeString(i.Type(), qual)
		}
	}
	return ""
}

// heapAlloc names a heap Alloc after the source construct that made it.
func heapAlloc(a *ssa.Alloc, qual types.Qualifier) string {
	elem := deref(a.Type())
	elemOf := func() string {
		if arr, ok := types.Unalias(elem).Underlying().(*types.Array); ok {
			return types.TypeString(arr.Elem(), qual)
		}
		return types.TypeString(elem, qual)
	}
	switch a.Comment {
	case "varargs":
		// The array behind a variadic call's arguments: part of the call
		// (append's own growth is counted as the append).
		return ""
	case "makeslice":
		return "make([]" + elemOf() + ")"
	case "slicelit":
		return "[]" + elemOf() + "{…}"
	case "complit":
		return "&" + types.TypeString(elem, qual) + "{…}"
	case "new":
		return "new(" + types.TypeString(elem, qual) + ")"
	case "":
		return "new(" + types.TypeString(elem, qual) + ")"
	}
	return "variable " + a.Comment + " moved to the heap"
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// pointerShaped reports whether a value of type t fits in an interface
// without being copied to the heap.
func pointerShaped(t types.Type) bool {
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

func isString(t types.Type) bool {
	b, ok := types.Unalias(t).Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func isByteOrRuneSlice(t types.Type) bool {
	s, ok := types.Unalias(t).Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := types.Unalias(s.Elem()).Underlying().(*types.Basic)
	return ok && (b.Kind() == types.Byte || b.Kind() == types.Rune)
}
