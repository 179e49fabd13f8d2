package analyzer

import "golang.org/x/tools/go/ssa"

// countsStart reports whether the function that starts the goroutines
// of s counts them on the WaitGroup class before it starts them: it adds
// to a WaitGroup of the class, itself or through a function of the
// package that does (nats-server's mset.startMonitorWg() before it starts
// the monitor). Those goroutines are the ones a Wait on the class waits
// for, whatever type's method starts them.
func (e *engine) countsStart(s *goSite, class string) bool {
	start := s.instr
	fn := start.Parent()
	if fn == nil {
		return false
	}
	for _, b := range fn.Blocks {
		if b != start.Block() && !reachable(b, start.Block(), nil) {
			continue
		}
		for _, instr := range b.Instrs {
			if b == start.Block() && instr == start {
				break
			}
			c, ok := instr.(*ssa.Call)
			if !ok || len(c.Call.Args) == 0 {
				continue
			}
			if e.adds(c, class) {
				return true
			}
		}
	}
	return false
}

// adds reports whether the call c adds to a WaitGroup of class: an Add,
// or a call of a function of the package that adds to one in a field of
// a parameter.
func (e *engine) adds(c *ssa.Call, class string) bool {
	callee := c.Call.StaticCallee()
	if obj := funcObject(callee); obj != nil && e.fullName(obj) == wgAdd {
		return e.addrPlace(c.Call.Args[0], 0).class == class
	}
	if callee == nil || !e.inPkg[callee] {
		return false
	}
	for _, p := range callee.Params {
		if e.wgCallOn(callee, wgAdd, p, class, nil) {
			return true
		}
	}
	return false
}
