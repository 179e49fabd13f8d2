// Package a registers finalizers that reach the pool in c through b.
package a

import (
	"runtime"

	"vetmod/b"
)

// Cursor iterates over results.
type Cursor struct{ cl *b.Client }

func (cur *Cursor) finalize() { cur.cl.CloseCursor() }

// Open returns a cursor whose finalizer releases its connection.
func Open(cl *b.Client) *Cursor {
	cur := &Cursor{cl: cl}
	runtime.SetFinalizer(cur, (*Cursor).finalize) // want `finalizer \(\*Cursor\)\.finalize takes Pool\.mu, which \(\*Pool\)\.Checkout \(c\.go:\d+\) holds across receive from Pool\.free`
	return cur
}

// Track returns a cursor whose finalizer is registered through a generic
// helper of another package.
func Track(cl *b.Client) *Cursor {
	cur := &Cursor{cl: cl}
	b.Track(cur, func(c *Cursor) { c.cl.CloseCursor() }) // want `finalizer Track\.func1 takes Pool\.mu`
	return cur
}

// Counted returns a cursor whose finalizer takes a mutex that nobody holds
// across a wait: silent.
func Counted(cl *b.Client) *Cursor {
	cur := &Cursor{cl: cl}
	runtime.SetFinalizer(cur, func(c *Cursor) { c.cl.Count() })
	return cur
}

// Returning returns a cursor whose finalizer hands its connection back: it
// needs Pool.mu first, which Checkout holds while it waits for a
// connection. Any caller of the exported Give can end that wait, so this
// is a lock finding, not a proven deadlock.
func Returning(cl *b.Client) *Cursor {
	cur := &Cursor{cl: cl}
	runtime.SetFinalizer(cur, func(c *Cursor) { c.cl.Return(1) }) // want `finalizer Returning\.func1 takes Pool\.mu, which \(\*Pool\)\.Checkout \(c\.go:\d+\) holds across receive from Pool\.free \(c\.go:\d+\); one goroutine` `finalizer Returning\.func1 can wait without bound`
	return cur
}

// Drained returns a cursor whose finalizer sends to a channel that a
// goroutine drains for the life of the program: suppressed, with a reason.
func Drained(q chan int) *Cursor {
	cur := &Cursor{}
	runtime.SetFinalizer(cur, func(*Cursor) { q <- 1 }) //finalock:ignore blocking q is drained by a goroutine that never exits
	return cur
}

// Leaked returns a cursor whose finalizer, registered through a generic
// helper of another package, captures the cursor: it never runs.
func Leaked(cl *b.Client) *Cursor {
	cur := &Cursor{cl: cl}
	b.Track(cur, func(*Cursor) { cur.cl.Count() }) // want `finalizer never runs: Leaked\.func1 captures cur, which is obj \(a\.go:\d+\), registered through b\.Track`
	return cur
}

// Held returns a cursor whose cleanup's argument, made by a constructor
// of another package, holds the cursor: it never runs.
func Held(cl *b.Client) *Cursor {
	cur := &Cursor{cl: cl}
	runtime.AddCleanup(cur, func(r *b.Ref[Cursor]) {}, b.Hold(cur)) // want `^cleanup never runs: arg\.P points back to ptr \(stored by b\.Hold\)`
	return cur
}

// Flushed returns a cursor whose finalizer flushes the client's stats:
// b.Flush holds Stats.mu, through c's lock helper, and calls Count, which
// takes it again in c.
func Flushed(cl *b.Client) *Cursor {
	cur := &Cursor{cl: cl}
	runtime.SetFinalizer(cur, func(c *Cursor) { c.cl.Flush() }) // want `finalizer Flushed\.func1 takes Stats\.mu while it already holds it \(\(\*b\.Client\)\.Flush \(a\.go:\d+\) → \(\*c\.Stats\)\.Lock \(b\.go:\d+\) → Stats\.mu\.Lock \(c\.go:\d+\)\)`
	return cur
}
