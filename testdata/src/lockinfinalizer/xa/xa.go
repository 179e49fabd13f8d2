// Package xa registers finalizers that reach, through xb, the locks of xc.
package xa

import (
	"os"
	"os/signal"
	"runtime"

	"lockinfinalizer/xb"
)

// Cursor is a result set of a client.
type Cursor struct{ c *xb.Client }

func (cur *Cursor) finalize() { cur.c.Close() }

func (cur *Cursor) finalizeOK() { _ = cur.c.Stats() }

func (cur *Cursor) finalizeNext() { _ = cur.c.Next() }

func (cur *Cursor) finalizeUnregister() { cur.c.Unregister() }

func (cur *Cursor) finalizeShutdown() { cur.c.Shutdown() }

func Open(c *xb.Client) *Cursor {
	cur := &Cursor{c: c}
	runtime.SetFinalizer(cur, (*Cursor).finalize) // want `finalizer \(\*Cursor\).finalize takes Pool.mu, which \(\*Pool\).(Get|Drain) \(xc.go:\d+\) holds across receive from Pool.(free|closed) \(xc.go:\d+\).*: finalizer \(\*Cursor\).finalize → \(\*xb.Client\).Close \(xa.go:\d+\) → \(\*xc.Pool\).Release \(xb.go:\d+\) → \(\*Pool\).release \(xc.go:\d+\) → Pool.mu.Lock \(xc.go:\d+\)`
	runtime.SetFinalizer(&Cursor{c: c}, (*Cursor).finalizeOK)
	runtime.SetFinalizer(&Cursor{c: c}, (*Cursor).finalizeNext)       // want `finalizer \(\*Cursor\).finalizeNext can wait without bound.*receive from Pool.free` `finalizer \(\*Cursor\).finalizeNext takes Pool.mu`
	runtime.SetFinalizer(&Cursor{c: c}, (*Cursor).finalizeUnregister) // want `finalizer \(\*Cursor\).finalizeUnregister takes xc.registryMu, which watch \(xc.go:\d+\) holds across receive from`
	runtime.SetFinalizer(&Cursor{c: c}, (*Cursor).finalizeShutdown)   // want `finalizer \(\*Cursor\).finalizeShutdown takes Pool.mu, which \(\*Pool\).Drain \(xc.go:\d+\) holds across receive from Pool.closed \(xc.go:\d+\); one goroutine`
	runtime.AddCleanup(cur, (*xb.Client).Close, c)                    // want `cleanup \(\*xb.Client\).Close takes Pool.mu`
	runtime.AddCleanup(cur, (*xb.Client).Touch, c)
	return cur
}

// A signal handler across packages.
func Handle(c *xb.Client) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	<-ch // want `signal handler Handle takes Pool.mu, which \(\*Pool\).(Get|Drain)`
	c.Close()
}

func HandleOK(c *xb.Client) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	<-ch
	_ = c.Stats()
}
