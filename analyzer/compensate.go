package analyzer

import "golang.org/x/tools/go/ssa"

// compensates reports whether the WaitGroup.Done call done, on the
// WaitGroup at place p, only undoes an Add of the same function: an Add
// on the same WaitGroup comes first on every path to it, and the Done is
// not on every path (nats-server's raft node start). A path counts only
// if its branches agree on the values they test against nil (an Add
// under if mset != nil, and a Done under if !started && mset != nil):
//
//	n.wg.Add(1)
//	if !s.startGoRoutine(n.run) {
//		n.wg.Done() // the goroutine that would call Done did not start
//	}
//
// The Add may be made by a method of the package the function calls on
// the value whose WaitGroup it is.
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
	var base ssa.Value // the value whose WaitGroup field done is called on
	if dc, ok := done.(*ssa.Call); ok && len(dc.Call.Args) > 0 {
		if fa, ok := dc.Call.Args[0].(*ssa.FieldAddr); ok {
			base = fa.X
		}
	}
	var adds []*ssa.BasicBlock
	for _, b := range w.fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok || len(c.Call.Args) == 0 || c.Block() == done.Block() && !before(c, done) {
				continue
			}
			callee := c.Call.StaticCallee()
			if obj := funcObject(callee); obj != nil && w.e.fullName(obj) == wgAdd {
				if w.e.addrPlace(c.Call.Args[0], 0).key == p.key {
					adds = append(adds, b)
				}
				continue
			}
			if base != nil && w.e.addsTo(c, base, p.class) {
				adds = append(adds, b)
			}
		}
	}
	if len(adds) == 0 {
		return false
	}
	// Every path to the Done passes an Add, counting only the branches
	// of nil tests that agree along the path.
	return !reachesAgreeing(w.fn.Blocks[0], done.Block(), adds)
}

// addsTo reports whether the call c is of a function of the package that
// adds to the WaitGroup field of class of the argument x (a method that
// registers the goroutine it is about to start: mset.startMonitorWg()).
func (e *engine) addsTo(c *ssa.Call, x ssa.Value, class string) bool {
	callee := c.Call.StaticCallee()
	if callee == nil || !e.inPkg[callee] {
		return false
	}
	for i, a := range c.Call.Args {
		if nilKey(a) == nilKey(x) && i < len(callee.Params) && e.wgCallOn(callee, wgAdd, callee.Params[i], class, nil) {
			return true
		}
	}
	return false
}
