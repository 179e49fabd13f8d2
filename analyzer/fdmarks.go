package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// This file decides whether a function marks the descriptors one of its
// calls creates.

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
			args := c.Common().Args
			if eff := FdEffectOf(funcObject(callee), e.fdArgs(args)); eff.Kind == FdMark && eff.Arg < len(args) {
				out = append(out, fdMark{pos: c.Common().Pos(), fd: args[eff.Arg]})
				continue
			}
			if callee == nil || callee == fn {
				continue
			}
			for _, i := range e.calleeMarks(callee, e.marks) {
				if i < len(args) {
					out = append(out, fdMark{pos: c.Common().Pos(), fd: args[i]})
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
	_, ok := w.e.marksAfter(w.fn, w.fdMarks(), call, fc, args)
	return ok
}

// marksAfter returns the marks of fn (its fdMarksOf) after the call that
// cover every descriptor the call creates (both of a pair), or false.
func (e *engine) marksAfter(fn *ssa.Function, marks []fdMark, call ssa.CallInstruction, fc FdCreator, args []ssa.Value) ([]fdMark, bool) {
	if len(marks) == 0 {
		return nil, false
	}
	var fd ssa.Value
	switch fc.Place {
	case FdResult, FdPairResult:
		v, ok := call.(*ssa.Call)
		if !ok {
			return nil, false
		}
		fd = firstResult(v)
	case FdPairArg, FdNewArg:
		if fc.FdArg >= len(args) {
			return nil, false
		}
		fd = args[fc.FdArg]
	}
	if fd == nil {
		return nil, false
	}
	pos := call.Common().Pos()
	var used []fdMark
	covered := map[int64]bool{}
	for _, m := range marks {
		if pos.IsValid() && m.pos.IsValid() && m.pos <= pos {
			continue
		}
		switch fc.Place {
		case FdResult, FdNewArg:
			if sameDescriptor(fn, m.fd, fd) {
				return []fdMark{m}, true
			}
		default:
			i, ok := elemOf(m.fd, fd)
			if !ok {
				continue
			}
			used = append(used, m)
			covered[i] = true
			if covered[-1] || (covered[0] && covered[1]) {
				return used, true
			}
		}
	}
	return nil, false
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
