package analyzer

import (
	"go/constant"

	"golang.org/x/tools/go/ssa"
)

// poppedFirst reports whether the send s, in a loop, sends on a channel
// field of an element that the same iteration took from the head of a
// queue and removed from it before the send (pebble's manual
// compactions):
//
//	for len(d.queue) > 0 {
//		m := d.queue[0]
//		d.queue = d.queue[1:]
//		m.done <- nil
//	}
//
// Each element is sent to once per pop, not once per iteration of the
// loop: the loop sends on a different element each time.
func (e *engine) poppedFirst(s *ssa.Send) bool {
	ld, ok := s.Chan.(*ssa.UnOp)
	if !ok {
		return false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	elem, ok := fa.X.(*ssa.UnOp) // m := queue[0]
	if !ok {
		return false
	}
	head, ok := elem.X.(*ssa.IndexAddr)
	if !ok || !isConstInt(head.Index, 0) {
		return false
	}
	queue, ok := head.X.(*ssa.UnOp) // the queue's slice, loaded
	if !ok {
		return false
	}
	q := e.addrPlace(queue.X, 0)
	if q.key == "" {
		return false
	}
	for _, b := range s.Parent().Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok || !before(elem, st) || !before(st, s) || e.addrPlace(st.Addr, 0).key != q.key {
				continue
			}
			if sl, ok := st.Val.(*ssa.Slice); ok && sl.High == nil && sl.Low != nil && isConstInt(sl.Low, 1) {
				if rest, ok := sl.X.(*ssa.UnOp); ok && e.addrPlace(rest.X, 0).key == q.key {
					return true // queue = queue[1:]
				}
			}
		}
	}
	return false
}

// isConstInt reports whether v is the integer constant n.
func isConstInt(v ssa.Value, n int64) bool {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return false
	}
	k, exact := constant.Int64Val(c.Value)
	return exact && k == n
}
