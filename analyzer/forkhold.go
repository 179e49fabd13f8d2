package analyzer

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// syscall.ForkLock is a lock class like any other: the walker's must-held
// sets say where it is held. Starting a process takes it for writing, so
// a start made while this goroutine holds it never returns; creating a
// descriptor and marking it close-on-exec while it is held keeps the
// descriptor from a process started meanwhile. forkafterthreads asks
// where it is held.

// forkLockClass is the lock class of syscall.ForkLock.
const forkLockClass = "syscall.ForkLock"

// A ForkHold is an acquisition of syscall.ForkLock held on every path to
// a call.
type ForkHold struct {
	// At is the position of the acquisition (or of the call of a helper
	// that returns with the lock held).
	At token.Pos
	// Write reports ForkLock.Lock rather than RLock.
	Write bool
}

// ForkLockAt returns the acquisition of syscall.ForkLock held on every
// path to the call whose left parenthesis is at lparen, if any.
func (r *Result) ForkLockAt(lparen token.Pos) (ForkHold, bool) {
	r.ready()
	h, ok := r.forkHeld[lparen]
	return h, ok
}

// recordForkLock records that ForkLock is held, as held says, at the
// call c.
func (w *walker) recordForkLock(c *ssa.Call, held heldSet) {
	for _, h := range held {
		if h.op.Class != forkLockClass {
			continue
		}
		if w.e.forkHeld == nil {
			w.e.forkHeld = map[token.Pos]ForkHold{}
		}
		w.e.forkHeld[c.Pos()] = ForkHold{At: h.at, Write: h.op.Kind == KindLock}
		return
	}
}
