package analyzer

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// A Cond can make a lock: a waiter that waits while a flag is set and then
// sets it takes the lock, and whoever clears the flag and signals gives it
// back (pebble's manifest lock):
//
//	func (vs *versionSet) logLock() {
//		for vs.writing {
//			vs.writerCond.Wait()
//		}
//		vs.writing = true
//	}
//
//	func (vs *versionSet) logUnlock() {
//		vs.writing = false
//		vs.writerCond.Signal()
//	}
//
// Such a wait lasts while another goroutine holds the flag, as a Lock
// lasts while another holds the mutex: the store that sets the flag is a
// lock acquisition of the Cond, each Signal or Broadcast a release, and
// the wait itself no wait of its own. The lock rule then asks what the
// holders do while they hold it. A Cond.Wait whose waiter does not set
// what it waited on (a gate that some other code opens) stays a wait for
// a partner.

// A condLockIndex holds the Conds of the package used as locks.
type condLockIndex struct {
	classes map[string]bool          // Cond classes some waiter takes as a lock
	waits   map[ssa.Instruction]bool // the Cond.Wait calls of those waiters
	takes   map[*ssa.Store]ssa.Value // the store that takes the lock → the Cond
}

// condLockIdx returns the package's Cond locks, computed once.
func (e *engine) condLockIdx() *condLockIndex {
	if e.condLockX != nil {
		return e.condLockX
	}
	x := &condLockIndex{classes: map[string]bool{}, waits: map[ssa.Instruction]bool{}, takes: map[*ssa.Store]ssa.Value{}}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || len(call.Call.Args) != 1 {
					continue
				}
				if obj := funcObject(call.Call.StaticCallee()); obj == nil || e.fullName(obj) != condWait {
					continue
				}
				c := call.Call.Args[0]
				class := e.addrPlace(c, 0).class
				if class == "" {
					continue
				}
				if s := e.flagTaken(b); s != nil {
					x.classes[class] = true
					x.waits[call] = true
					x.takes[s] = c
				}
			}
		}
	}
	e.condLockX = x
	return x
}

// flagTaken returns the store that sets the flag a Cond.Wait in block
// wait waits on, when the waiter sets it once the wait loop ends: the loop
// header branches on a load of the flag (or its negation) into the loop
// that waits, and out of it to a block from which the store follows.
func (e *engine) flagTaken(wait *ssa.BasicBlock) *ssa.Store {
	fn := wait.Parent()
	for _, h := range fn.Blocks {
		iff, ok := lastIf(h)
		if !ok || !reachable(wait, h, nil) {
			continue
		}
		flag := loadedFlag(iff.Cond)
		if flag == nil {
			continue
		}
		in, out := h.Succs[0], h.Succs[1]
		if in != wait && !reachable(in, wait, h) {
			in, out = out, in
		}
		if (in != wait && !reachable(in, wait, h)) || out == wait || reachable(out, wait, h) {
			continue
		}
		fp := e.addrPlace(flag, 0)
		if fp.class == "" {
			continue
		}
		for _, b := range fn.Blocks {
			if b != out && !reachable(out, b, h) {
				continue
			}
			for _, instr := range b.Instrs {
				if s, ok := instr.(*ssa.Store); ok && e.addrPlace(s.Addr, 0).key == fp.key {
					return s
				}
			}
		}
	}
	return nil
}

// lastIf returns the If that ends block b.
func lastIf(b *ssa.BasicBlock) (*ssa.If, bool) {
	if len(b.Instrs) == 0 || len(b.Succs) != 2 {
		return nil, false
	}
	iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	return iff, ok
}

// loadedFlag returns the address whose value the condition v is, or the
// negation of: *addr or !*addr.
func loadedFlag(v ssa.Value) ssa.Value {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.NOT {
		v = u.X
	}
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	switch u.X.(type) {
	case *ssa.FieldAddr, *ssa.Global:
		return u.X
	}
	return nil
}

// condLockWait reports whether the Cond.Wait call at waits for a Cond
// lock: the store after its loop takes the lock instead.
func (e *engine) condLockWait(at ssa.Instruction) bool { return e.condLockIdx().waits[at] }

// condLockRelease reports whether Signal or Broadcast on the Cond at c
// gives back a Cond lock.
func (e *engine) condLockRelease(c ssa.Value) bool {
	idx := e.condLockIdx()
	if len(idx.classes) == 0 {
		return false
	}
	return idx.classes[e.addrPlace(c, 0).class]
}
