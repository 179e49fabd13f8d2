package analyzer

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// Some channels receive at most one value in their life, and are made
// with room for it, so sending that value does not wait. finalock knows
// two such channels kept in a field. A request's reply channel:
//
//	req := &request{done: make(chan error, 1)}
//	queue <- req
//	err := <-req.done // the requester waits for its answer
//
// which the one function that answers sends on: "req.done <- err". And a
// stop signal sent under a flag that is never cleared:
//
//	if !p.closed {
//		p.closed = true
//		p.closeC <- struct{}{}
//	}
//
// onceFields returns the classes of such fields: an unexported field of a
// struct type of the package, such that every store into it is a channel
// made with a buffer, and the package sends on it at one place, outside
// loops. Either only the functions that make its channels (or closures
// inside them) receive from it and nothing closes it, or the send runs
// only where a flag was false and sets it first.
func (e *engine) onceFields() map[string]bool {
	if e.onceClasses != nil {
		return e.onceClasses
	}
	e.onceClasses = map[string]bool{}
	idx := e.chanIndex()
	makers := map[string]map[*ssa.Function]bool{}
	bad := map[string]bool{} // not made with a buffer, or sent on in a select
	for _, s := range idx.stores {
		mc, ok := s.st.Val.(*ssa.MakeChan)
		if !ok || !e.privateField(s.st.Addr) || !buffered(mc) {
			bad[s.class] = true
			continue
		}
		if makers[s.class] == nil {
			makers[s.class] = map[*ssa.Function]bool{}
		}
		makers[s.class][s.st.Parent()] = true
	}
	if len(makers) == 0 {
		return e.onceClasses
	}
	flagSet := map[string]bool{}   // bool fields set to true
	flagOther := map[string]bool{} // bool fields set to anything else
	for _, f := range idx.flags {
		if k, ok := f.st.Val.(*ssa.Const); ok && k.Value != nil && constant.BoolVal(k.Value) {
			flagSet[f.class] = true
		} else {
			flagOther[f.class] = true
		}
	}
	sends := map[string][]*ssa.Send{}
	notReply := map[string]bool{} // closed, or received from outside its makers
	received := map[string]bool{}
	for _, u := range idx.uses {
		m := makers[u.class]
		if m == nil {
			continue
		}
		switch u.kind {
		case KindSend:
			if s, ok := u.instr.(*ssa.Send); ok {
				sends[u.class] = append(sends[u.class], s)
			} else {
				bad[u.class] = true
			}
		case KindClose:
			notReply[u.class] = true
		case KindRecv:
			f := u.instr.Parent()
			for f != nil && !m[f] {
				f = f.Parent()
			}
			if f == nil {
				notReply[u.class] = true
			}
			received[u.class] = true
		}
	}
	for c := range makers {
		if bad[c] || len(sends[c]) != 1 || inLoop(sends[c][0].Block()) {
			continue
		}
		if !notReply[c] && received[c] || e.flagGuarded(sends[c][0], flagSet, flagOther) {
			e.onceClasses[c] = true
		}
	}
	return e.onceClasses
}

// flagGuarded reports whether the send s runs at most once for each
// value of a flag field: earlier in its block it sets the flag, which the
// package sets only to true, and it runs only where the flag was false.
func (e *engine) flagGuarded(s *ssa.Send, set, other map[string]bool) bool {
	flag := ""
	for _, instr := range s.Block().Instrs {
		if instr == ssa.Instruction(s) {
			break
		}
		if st, ok := instr.(*ssa.Store); ok {
			if c := e.addrPlace(st.Addr, 0).class; c != "" && set[c] && !other[c] {
				flag = c
			}
		}
	}
	if flag == "" {
		return false
	}
	for b := s.Block(); b.Idom() != nil; b = b.Idom() {
		d := b.Idom()
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond, falseSucc := iff.Cond, 1
		if n, ok := cond.(*ssa.UnOp); ok && n.Op == token.NOT {
			cond, falseSucc = n.X, 0
		}
		load, ok := cond.(*ssa.UnOp)
		if ok && load.Op == token.MUL && e.addrPlace(load.X, 0).class == flag && d.Succs[falseSucc].Dominates(s.Block()) {
			return true
		}
	}
	return false
}

// privateField reports whether addr selects an unexported field of a
// struct type of the package.
func (e *engine) privateField(addr ssa.Value) bool {
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	st, named := structOf(fa.X.Type())
	return st != nil && named != nil && named.Obj().Pkg() == e.pkg && fa.Field < st.NumFields() && !st.Field(fa.Field).Exported()
}

// buffered reports whether mc makes a channel with a constant buffer.
func buffered(mc *ssa.MakeChan) bool {
	n, ok := chanCap(mc)
	return ok && n >= 1
}

// chanCap returns the capacity mc gives its channel, when it is a
// constant.
func chanCap(mc *ssa.MakeChan) (int64, bool) {
	size, ok := mc.Size.(*ssa.Const)
	if !ok || size.Value == nil {
		return 0, false
	}
	return constant.Int64Val(constant.ToInt(size.Value))
}
