package analyzer

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// This file decides when a WaitGroup.Done under a flag test is a Done
// that the goroutine calls for sure. A type that records in a flag that
// it added to its WaitGroup (nats-server's consumer monitor):
//
//	func (o *T) start() {
//		o.running = true
//		o.wg.Add(1)
//	}
//	func (o *T) clear() {
//		if o.running {
//			o.wg.Done()
//			o.running = false
//		}
//	}
//
// skips the Done only when no Add is outstanding: whenever a Wait has
// something to wait for, the flag is set and the Done runs. Such a Done
// counts as performed on every path through the flag test.

// flagGuard returns the block of the flag test that guards done, a
// WaitGroup.Done on the field wg: done runs on every path from the test's
// true branch, the test reads a boolean field of the same value as wg,
// and the package pairs that flag with the WaitGroup (flagPaired). It
// returns nil otherwise.
func (e *engine) flagGuard(done ssa.Instruction, wg ssa.Value) *ssa.BasicBlock {
	fa, ok := wg.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	for b := done.Block(); b != nil; b = b.Idom() {
		d := b.Idom()
		if d == nil || len(b.Preds) != 1 || b.Preds[0] != d || len(d.Succs) != 2 || d.Succs[0] != b {
			continue
		}
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		ld, ok := iff.Cond.(*ssa.UnOp)
		if !ok || ld.Op != token.MUL {
			continue
		}
		flag, ok := ld.X.(*ssa.FieldAddr)
		if !ok || flag.X != fa.X {
			continue
		}
		if mustPass(b, done.Block()) && e.flagPaired(flag, fa) {
			return d
		}
		return nil
	}
	return nil
}

// flagPaired reports whether the package sets the unexported boolean
// field of flag only together with the WaitGroup field of wg: every
// store of true to it is in a function that adds to the WaitGroup of the
// same value, and every store of false follows a Done on it (or is made
// to an object under construction).
func (e *engine) flagPaired(flag, wg *ssa.FieldAddr) bool {
	fp, wp := e.addrPlace(flag, 0), e.addrPlace(wg, 0)
	if fp.class == "" || wp.class == "" {
		return false
	}
	if st, _ := structOf(flag.X.Type()); st == nil || st.Field(flag.Field).Exported() {
		return false
	}
	key := fp.class + "\x00" + wp.class
	if v, ok := e.flagPairs[key]; ok {
		return v
	}
	paired, set := true, false
	for st := range e.allStores {
		addr, ok := st.Addr.(*ssa.FieldAddr)
		if !ok || addr.Field != flag.Field || e.addrPlace(addr, 0).class != fp.class {
			continue
		}
		fn := st.Parent()
		c, ok := st.Val.(*ssa.Const)
		switch {
		case !ok || c.Value == nil || c.Value.Kind() != constant.Bool:
			paired = false
		case constant.BoolVal(c.Value):
			set = true
			paired = paired && e.wgCallOn(fn, wgAdd, addr.X, wp.class, nil)
		default:
			_, fresh := addr.X.(*ssa.Alloc)
			paired = paired && (fresh || e.wgCallOn(fn, wgDone, addr.X, wp.class, st))
		}
	}
	if e.flagPairs == nil {
		e.flagPairs = map[string]bool{}
	}
	e.flagPairs[key] = paired && set
	return paired && set
}

// wgCallOn reports whether fn calls the WaitGroup method name on the
// field of class of the value x (before the instruction at, if not nil).
func (e *engine) wgCallOn(fn *ssa.Function, name string, x ssa.Value, class string, at ssa.Instruction) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok || len(c.Call.Args) == 0 {
				continue
			}
			obj := funcObject(c.Call.StaticCallee())
			if obj == nil || e.fullName(obj) != name {
				continue
			}
			fa, ok := c.Call.Args[0].(*ssa.FieldAddr)
			if ok && fa.X == x && e.addrPlace(fa, 0).class == class && (at == nil || before(c, at)) {
				return true
			}
		}
	}
	return false
}
