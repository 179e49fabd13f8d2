package analyzer

import "golang.org/x/tools/go/ssa"

// compensates reports whether the WaitGroup.Done call done, on the
// WaitGroup at place p, only undoes an Add of the same function: an Add
// on the same WaitGroup comes first on every path to it, and the Done is
// not on every path (nats-server's raft node start):
//
//	n.wg.Add(1)
//	if !s.startGoRoutine(n.run) {
//		n.wg.Done() // the goroutine that would call Done did not start
//	}
//
// Such a Done is no partner of a Wait: the goroutine that runs it leaves
// the counter as it found it, and a Wait counts on the goroutine started
// instead.
func (w *walker) compensates(done ssa.Instruction, p place) bool {
	if w.inDefer || p.key == "" || len(w.fn.Blocks) == 0 {
		return false
	}
	if mustPass(w.fn.Blocks[0], done.Block()) {
		return false
	}
	for _, b := range w.fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			obj := funcObject(c.Call.StaticCallee())
			if obj == nil || w.e.fullName(obj) != wgAdd || len(c.Call.Args) == 0 {
				continue
			}
			if w.e.addrPlace(c.Call.Args[0], 0).key == p.key && before(c, done) {
				return true
			}
		}
	}
	return false
}
