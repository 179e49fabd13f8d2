// Package ctxcancel holds waits on the Done channel of a context made
// with a cancel function: calling the cancel function closes the
// channel, so a goroutine that cancels as it returns is joined by a
// receive from Done (quic-go's Conn: closeLocal, then <-c.ctx.Done()),
// and workers that select on Done are told to stop by a cancel. Each
// shape is next to a twin where nothing stops the goroutine.
package ctxcancel

import (
	"context"
	"runtime"
	"sync"
)

// Conn's run loop cancels the connection's context as it returns.
type Conn struct {
	ctx    context.Context
	cancel context.CancelFunc
	quit   chan struct{}
}

func newConn() *Conn {
	c := &Conn{quit: make(chan struct{})}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.run()
	return c
}

func (c *Conn) run() {
	defer c.cancel()
	<-c.quit
}

// Close tells the loop to stop and waits until it has.
func (c *Conn) Close() {
	close(c.quit)
	<-c.ctx.Done()
}

// Wait waits for the loop without telling it to stop: the twin.
func (c *Conn) Wait() {
	<-c.ctx.Done()
}

// Handle owns a connection.
type Handle struct{ c *Conn }

func finalizeConns() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.c.Close() })
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.c.Wait() }) // want `finalizer finalizeConns.func2 can wait without bound.*\(\*Conn\).Wait \(ctxcancel.go:\d+\) → receive from Conn.ctx.Done\(\), waiting for go \(\*Conn\).run \(ctxcancel.go:\d+\) → receive from Conn.quit`
}

var never = make(chan struct{})

func compute() int { return 1 }

// work waits for a goroutine that cancels the context when it is done.
func work() {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		compute()
	}()
	<-ctx.Done()
}

// stall's goroutine waits for a channel nobody sends on first: the twin.
func stall() {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		<-never
	}()
	<-ctx.Done()
}

// Task runs work in its finalizer.
type Task struct{}

func finalizeTasks() {
	runtime.SetFinalizer(&Task{}, func(t *Task) { work() })
	runtime.SetFinalizer(&Task{}, func(t *Task) { stall() }) // want `finalizer finalizeTasks.func2 can wait without bound.*stall \(ctxcancel.go:\d+\) → receive from context made at ctxcancel.go:\d+, waiting for go stall.func1`
}

// Pool's workers stop when the pool's context is cancelled.
type Pool struct {
	ctx    context.Context
	cancel context.CancelFunc
	jobs   chan int
	wg     sync.WaitGroup
}

func newPool() *Pool {
	p := &Pool{jobs: make(chan int)}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.wg.Add(1)
	go p.worker()
	return p
}

func (p *Pool) worker() {
	defer p.wg.Done()
	for {
		select {
		case <-p.ctx.Done():
			return
		case j := <-p.jobs:
			_ = j
		}
	}
}

// Close cancels the workers and joins them.
func (p *Pool) Close() {
	p.cancel()
	p.wg.Wait()
}

// Drain joins the workers without stopping them: the twin.
func (p *Pool) Drain() {
	p.wg.Wait()
}

// Owner owns a pool.
type Owner struct{ p *Pool }

func finalizePools() {
	runtime.SetFinalizer(&Owner{}, func(o *Owner) { o.p.Close() })
	runtime.SetFinalizer(&Owner{}, func(o *Owner) { o.p.Drain() }) // want `finalizer finalizePools.func2 can wait without bound.*\(\*Pool\).Drain \(ctxcancel.go:\d+\) → \(\*sync.WaitGroup\).Wait, waiting for go \(\*Pool\).worker`
}
