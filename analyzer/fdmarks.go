package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// This file reads the arguments of fd-creating and marking calls from
// SSA values, for FdEffectOf, and decides whether a function marks the
// descriptors one of its calls creates.

// ssaArgs are a call's arguments as FdArgs.
type ssaArgs []ssa.Value

func (a ssaArgs) Len() int { return len(a) }

func (a ssaArgs) Const(i int) constant.Value {
	if c, ok := stripConv(a[i]).(*ssa.Const); ok {
		return c.Value
	}
	return nil
}

func (a ssaArgs) Has(i int, bit constant.Value) bool { return hasBit(a[i], bit, 0) }

// hasBit reports whether v certainly has every bit of bit: a constant
// that has them, or an OR with one.
func hasBit(v ssa.Value, bit constant.Value, depth int) bool {
	if depth > maxPlaceDepth {
		return false
	}
	switch x := stripConv(v).(type) {
	case *ssa.Const:
		return x.Value != nil && HasBits(x.Value, bit)
	case *ssa.BinOp:
		return x.Op == token.OR && (hasBit(x.X, bit, depth+1) || hasBit(x.Y, bit, depth+1))
	}
	return false
}

// stripConv looks through conversions between integer types and named
// types.
func stripConv(v ssa.Value) ssa.Value {
	for i := 0; i < maxPlaceDepth; i++ {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// fieldStored returns the one value stored into the field name of the
// struct that ptr points to (&unix.OpenHow{Flags: flags}), or nil.
func fieldStored(fn *ssa.Function, ptr ssa.Value, name string) ssa.Value {
	base := stripConv(ptr)
	var val ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok || fa.X != base {
				continue
			}
			if s, _ := structOf(fa.X.Type()); s == nil || fa.Field >= s.NumFields() || s.Field(fa.Field).Name() != name {
				continue
			}
			if val != nil {
				return nil // assigned twice: not one value
			}
			val = st.Val
		}
	}
	return val
}

// marksCloseOnExec reports whether the function marks any descriptor
// close-on-exec (computed once): only then can it mark one it creates.
func (w *walker) marksCloseOnExec() bool {
	if w.marks == nil {
		found := len(w.fdMarks()) > 0
		w.marks = &found
	}
	return *w.marks
}

// An fdMark is a call that marks a descriptor close-on-exec: the call and
// the descriptor.
type fdMark struct {
	pos token.Pos
	fd  ssa.Value
}

// fdMarks returns the calls of fn that mark a descriptor close-on-exec,
// as FdEffectOf defines them, or that pass it to a function that marks
// that parameter (Summary.Marks, see fdmarkparams.go).
func (w *walker) fdMarks() []fdMark { return w.e.fdMarksOf(w.fn) }

// fdMarksOf returns the calls of fn that mark a descriptor close-on-exec,
// with the descriptor.
func (e *engine) fdMarksOf(fn *ssa.Function) []fdMark {
	var out []fdMark
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			callee := c.Common().StaticCallee()
			args := ssaArgs(c.Common().Args)
			if eff := FdEffectOf(funcObject(callee), args); eff.Kind == FdMark && eff.Arg < len(args) {
				out = append(out, fdMark{pos: instr.Pos(), fd: args[eff.Arg]})
				continue
			}
			if callee == nil || callee == fn {
				continue
			}
			for _, i := range e.calleeMarks(callee, e.marks) {
				if i < len(args) {
					out = append(out, fdMark{pos: instr.Pos(), fd: args[i]})
				}
			}
		}
	}
	return out
}

// markedAfter reports whether the function marks close-on-exec, after
// the call, every descriptor that the call creates (fc says where they
// go; args are the call's arguments).
func (w *walker) markedAfter(call ssa.CallInstruction, fc FdCreator, args []ssa.Value) bool {
	if !w.marksCloseOnExec() {
		return false
	}
	var fd ssa.Value
	switch fc.Place {
	case FdResult, FdPairResult:
		v, ok := call.(*ssa.Call)
		if !ok {
			return false
		}
		fd = firstResult(v)
	case FdPairArg, FdNewArg:
		if fc.FdArg >= len(args) {
			return false
		}
		fd = args[fc.FdArg]
	}
	if fd == nil {
		return false
	}
	covered := map[int64]bool{}
	for _, m := range w.fdMarks() {
		if call.Pos().IsValid() && m.pos.IsValid() && m.pos <= call.Pos() {
			continue
		}
		switch fc.Place {
		case FdResult, FdNewArg:
			if sameDescriptor(w.fn, m.fd, fd) {
				return true
			}
		default:
			if i, ok := elemOf(m.fd, fd); ok {
				covered[i] = true
			}
			if covered[-1] || (covered[0] && covered[1]) {
				return true
			}
		}
	}
	return false
}

// firstResult returns the first result of a call: the call itself, or
// the Extract of its first result from the tuple.
func firstResult(v *ssa.Call) ssa.Value {
	if _, ok := v.Type().(*types.Tuple); !ok {
		return v
	}
	for _, r := range *v.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
			return ex
		}
	}
	return nil
}

// sameDescriptor reports whether m holds the descriptor fd: the same
// value, the same constant, or a load of a variable or field that fd is
// stored into.
func sameDescriptor(fn *ssa.Function, m, fd ssa.Value) bool {
	m, fd = stripConv(m), stripConv(fd)
	if m == fd {
		return true
	}
	if a, ok := m.(*ssa.Const); ok {
		b, ok := fd.(*ssa.Const)
		return ok && a.Value != nil && b.Value != nil && sameConst(a.Value, b.Value)
	}
	ld, ok := m.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && stripConv(st.Val) == fd && sameAddr(st.Addr, ld.X) {
				return true
			}
		}
	}
	return false
}

// sameAddr reports whether two addresses are the same variable, or the
// same field of the same value.
func sameAddr(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fa, ok1 := a.(*ssa.FieldAddr)
	fb, ok2 := b.(*ssa.FieldAddr)
	return ok1 && ok2 && fa.Field == fb.Field && fa.X == fb.X
}

// elemOf returns the index of the element of the pair of descriptors
// pair that m reads: p[0], p[1], or -1 for an index that is not constant
// (a range over the pair reads both).
func elemOf(m, pair ssa.Value) (int64, bool) {
	base := sliceBase(pair)
	var x, index ssa.Value
	switch e := stripConv(m).(type) {
	case *ssa.Index:
		x, index = e.X, e.Index
	case *ssa.UnOp:
		ia, ok := e.X.(*ssa.IndexAddr)
		if !ok || e.Op != token.MUL {
			return 0, false
		}
		x, index = ia.X, ia.Index
	default:
		return 0, false
	}
	if sliceBase(x) != base {
		return 0, false
	}
	if c, ok := index.(*ssa.Const); ok && c.Value != nil {
		if n, exact := constant.Int64Val(constant.ToInt(c.Value)); exact {
			return n, true
		}
	}
	return -1, true
}

// sliceBase looks through slicing and conversions to the array or slice
// that holds the descriptors.
func sliceBase(v ssa.Value) ssa.Value {
	for i := 0; i < maxPlaceDepth; i++ {
		switch x := stripConv(v).(type) {
		case *ssa.Slice:
			v = x.X
		default:
			return x
		}
	}
	return v
}
