package analyzer

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// undone reports whether the block of the registration c undoes it right
// after, before anything can collect the object: it stops the cleanup
// (runtime.AddCleanup(...).Stop()) or clears the finalizer of the same
// object (runtime.SetFinalizer(obj, nil)). A registration undone at once
// never keeps anything alive.
func (e *engine) undone(c ssa.CallInstruction, kind RootKind, obj ssa.Value) bool {
	call, ok := c.(*ssa.Call)
	if !ok {
		return false
	}
	after := false
	for _, instr := range call.Block().Instrs {
		if instr == ssa.Instruction(call) {
			after = true
			continue
		}
		next, ok := instr.(*ssa.Call)
		if !after || !ok {
			continue
		}
		callee := funcObject(next.Common().StaticCallee())
		if callee == nil {
			continue
		}
		args := next.Common().Args
		switch name := e.fullName(callee); {
		case kind == RootCleanup && name == "(runtime.Cleanup).Stop" && len(args) == 1:
			if args[0] == ssa.Value(call) {
				return true
			}
			if cell := e.localVar(unwrapLoad(args[0]), 0); cell != nil {
				for _, s := range e.stores().cells[cell] {
					if s.val == ssa.Value(call) {
						return true
					}
				}
			}
		case kind == RootFinalizer && name == "runtime.SetFinalizer" && len(args) == 2 && nilFunc(args[1]):
			if sameObject(e, args[0], obj) {
				return true
			}
		}
	}
	return false
}

// unwrapLoad returns the address v is loaded from, or v.
func unwrapLoad(v ssa.Value) ssa.Value {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		return u.X
	}
	return v
}

// nilFunc reports whether v is the nil constant, possibly in an
// interface: SetFinalizer(obj, nil).
func nilFunc(v ssa.Value) bool { return isNil(unwrapValue(v)) }

// sameObject reports whether a and b have an origin in common.
func sameObject(e *engine, a, b ssa.Value) bool {
	bs := e.origins(b, true)
	for _, o := range e.origins(a, true) {
		for _, p := range bs {
			if o == p {
				return true
			}
		}
	}
	return false
}
