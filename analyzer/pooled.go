package analyzer

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// This file decides when a send on a buffered channel field of an object
// taken from a sync.Pool finds room: the object's channel is empty when
// it comes out of the pool, because every Put of such an object comes
// after a receive from that field (pebble's sstable write tasks):
//
//	task := writeTaskPool.Get().(*writeTask)
//	task.compressionDone <- true // the one value of this round
//	…
//	<-task.compressionDone
//	writeTaskPool.Put(task)
//
// A single send after the Get, outside any loop, is the round's one value,
// and the buffer (made with room for it) takes it.

const (
	poolGet = "(*sync.Pool).Get"
	poolPut = "(*sync.Pool).Put"
)

// pooledRoom reports whether the send s finds room as the first value of
// a pooled object's round: s sends on a field of a value asserted from a
// Pool.Get in the same function, once (not in a loop), the only send on
// that field's class in the package; every channel stored in the field
// is made with a buffer (or is the field's own value stored back); and
// every Put on that pool in the package puts a value whose field was
// received from first.
func (e *engine) pooledRoom(s *ssa.Send) bool {
	ld, ok := s.Chan.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL || e.inLoop(s.Block()) {
		return false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	pool := e.pooledFrom(fa.X)
	if pool == "" {
		return false
	}
	class := e.addrPlace(fa, 0).class
	if class == "" || !e.privateField(fa) {
		return false
	}
	idx := e.chanIndex()
	for _, u := range idx.uses {
		if u.class == class && u.kind == KindSend && u.instr != ssa.Instruction(s) {
			return false // another send may fill the buffer first
		}
	}
	for _, st := range idx.stores {
		if st.class != class {
			continue
		}
		if mc, ok := st.st.Val.(*ssa.MakeChan); ok && buffered(mc) {
			continue
		}
		if back, ok := st.st.Val.(*ssa.UnOp); ok && back.Op == token.MUL && e.addrPlace(back.X, 0).class == class {
			continue // the field's own channel, stored back
		}
		return false
	}
	return e.drainedBeforePut(pool, fa.Field, class)
}

// pooledFrom returns the class of the sync.Pool that v was asserted
// from (v := pool.Get().(*T)), or "".
func (e *engine) pooledFrom(v ssa.Value) string {
	ta, ok := v.(*ssa.TypeAssert)
	if !ok {
		return ""
	}
	call, ok := ta.X.(*ssa.Call)
	if !ok || len(call.Call.Args) == 0 {
		return ""
	}
	if obj := funcObject(call.Call.StaticCallee()); obj == nil || e.fullName(obj) != poolGet {
		return ""
	}
	return e.addrPlace(call.Call.Args[0], 0).class
}

// drainedBeforePut reports whether every Put on the pool of class pool
// in the package puts a value whose channel field (index field, class
// class) was received from before, in the function of the Put or, when
// the value is a parameter, before every call of that function.
func (e *engine) drainedBeforePut(pool string, field int, class string) bool {
	key := pool + "\x00" + class
	if v, ok := e.drained[key]; ok {
		return v
	}
	v := e.drainedAll(pool, field, class)
	if e.drained == nil {
		e.drained = map[string]bool{}
	}
	e.drained[key] = v
	return v
}

func (e *engine) drainedAll(pool string, field int, class string) bool {
	found := false
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(*ssa.Call)
				if !ok || len(c.Call.Args) < 2 {
					continue
				}
				obj := funcObject(c.Call.StaticCallee())
				if obj == nil || e.fullName(obj) != poolPut || e.addrPlace(c.Call.Args[0], 0).class != pool {
					continue
				}
				found = true
				x := unwrapValue(c.Call.Args[1])
				if e.receivedBefore(x, field, class, c) {
					continue
				}
				p, ok := x.(*ssa.Parameter)
				if !ok || len(e.callers[fn]) == 0 {
					return false
				}
				i := paramIndex(p)
				for _, call := range e.callers[fn] {
					args := callArgs(call.Common())
					if i >= len(args) || !e.receivedBefore(args[i], field, class, call) {
						return false
					}
				}
			}
		}
	}
	return found
}

// receivedBefore reports whether a receive from the channel field of x
// (index field, of class class) comes before at on every path to it.
func (e *engine) receivedBefore(x ssa.Value, field int, class string, at ssa.Instruction) bool {
	for _, r := range *x.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok || fa.Field != field || e.addrPlace(fa, 0).class != class {
			continue
		}
		for _, r := range *fa.Referrers() {
			ld, ok := r.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				continue
			}
			for _, r := range *ld.Referrers() {
				if recv, ok := r.(*ssa.UnOp); ok && recv.Op == token.ARROW && before(recv, at) {
					return true
				}
			}
		}
	}
	return false
}
