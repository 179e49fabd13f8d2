// Package blocking has finalizers and cleanups that wait without bound,
// each next to a twin that does not.
package blocking

import (
	"context"
	"os/exec"
	"runtime"
	"sync"
	"time"
)

// Res is a resource with a finalizer.
type Res struct {
	ch   chan int
	work chan int
	wg   sync.WaitGroup
	mu   sync.Mutex
	cond *sync.Cond
	cmd  *exec.Cmd
	t    *time.Timer
}

func sends() {
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.ch <- 1 }) // want `finalizer sends.func1 can wait without bound.*send to Res.ch \(blocking.go:25\)`
	runtime.SetFinalizer(&Res{}, func(r *Res) {
		select {
		case r.ch <- 1:
		default:
		}
	})
}

func receives() {
	runtime.SetFinalizer(&Res{}, func(r *Res) { <-r.ch }) // want `finalizer receives.func1 can wait without bound.*receive from Res.ch`
	runtime.SetFinalizer(&Res{}, func(r *Res) {
		select {
		case <-r.ch:
		default:
		}
	})
	runtime.SetFinalizer(&Res{}, func(r *Res) { <-time.After(time.Second) })
	runtime.SetFinalizer(&Res{}, func(r *Res) { <-r.t.C })
}

func selects() {
	runtime.SetFinalizer(&Res{}, func(r *Res) { // want `finalizer selects.func1 can wait without bound \(and 1 more\).*(send to|receive from) Res.ch in select`
		select {
		case <-r.ch:
		case r.ch <- 2:
		}
	})
	runtime.SetFinalizer(&Res{}, func(r *Res) {
		select {
		case <-r.ch:
		case <-time.After(time.Second):
		}
	})
	runtime.SetFinalizer(&Res{}, func(r *Res) { select {} }) // want `finalizer selects.func3 can wait without bound.*select \{\}`
}

// Handle points to a Res that other code shares.
type Handle struct{ r *Res }

// start runs a worker that finishes when work is closed.
func (r *Res) start() {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for range r.work {
		}
	}()
}

func syncWaits() {
	// The worker may never finish: nothing closes work first. A handle's
	// finalizer waits for it.
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.r.wg.Wait() }) // want `finalizer syncWaits.func1 can wait without bound.*→ \(\*sync.WaitGroup\).Wait, waiting for go \(\*Res\).start.func1 \(blocking.go:\d+\) → receive from Res.work`
	// The finalizer of the Res itself does not: the worker reaches r, so
	// r is unreachable only once the worker is gone.
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.wg.Wait() })
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.wg.Done() })
	// Closing its input first ends its loop: a join that ends.
	runtime.SetFinalizer(&Res{}, func(r *Res) {
		close(r.work)
		r.wg.Wait()
	})
	runtime.SetFinalizer(&Res{}, func(r *Res) { // want `finalizer syncWaits.func5 can wait without bound.*\(\*sync.Cond\).Wait`
		r.mu.Lock()
		r.cond.Wait()
		r.mu.Unlock()
	})
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.cond.Broadcast() })
	// A bounded delay only slows the queue down: no wait.
	runtime.AddCleanup(&Res{}, time.Sleep, time.Second)
	runtime.AddCleanup(&Res{}, func(d time.Duration) { time.Sleep(d) }, time.Second)
	runtime.AddCleanup(&Res{}, func(d time.Duration) { _ = time.Now().Add(d) }, time.Second)
}

func commands() {
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.cmd.Wait() })           // want `finalizer commands.func1 can wait without bound.*\(\*exec.Cmd\).Wait`
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.cmd.Run() })            // want `finalizer commands.func2 can wait without bound.*\(\*exec.Cmd\).Run`
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.cmd.Output() })         // want `finalizer commands.func3 can wait without bound.*\(\*exec.Cmd\).Output`
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.cmd.CombinedOutput() }) // want `finalizer commands.func4 can wait without bound.*\(\*exec.Cmd\).CombinedOutput`
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.cmd.Process.Kill() })
	runtime.SetFinalizer(&Res{}, func(r *Res) { r.cmd.Start() })
}

// Through calls.

func (r *Res) flush() { r.ch <- 0 }
func (r *Res) drain() { r.flush() }
func (r *Res) close() { r.drain() }
func (r *Res) tryFlush() {
	select {
	case r.ch <- 0:
	default:
	}
}
func (r *Res) tryClose() { r.tryFlush() }

func (r *Res) finalize()   { r.close() }
func (r *Res) finalizeOK() { r.tryClose() }

func throughCalls() {
	runtime.SetFinalizer(&Res{}, (*Res).finalize) // want `finalizer \(\*Res\).finalize can wait without bound.*\(\*Res\).finalize → \(\*Res\).close \(blocking.go:\d+\) → \(\*Res\).drain \(blocking.go:\d+\) → \(\*Res\).flush \(blocking.go:\d+\) → send to Res.ch \(blocking.go:\d+\)`
	runtime.SetFinalizer(&Res{}, (*Res).finalizeOK)
}

// A goroutine started by the finalizer is not the finalizer.
func goroutines() {
	runtime.SetFinalizer(&Res{}, func(r *Res) {
		go func() { r.ch <- 1 }()
	})
	runtime.SetFinalizer(&Res{}, func(r *Res) { go r.close() })
	runtime.SetFinalizer(&Res{}, func(r *Res) { // want `finalizer goroutines.func3 can wait without bound.*send to Res.ch`
		go r.close()
		r.ch <- 1
	})
}

// A deferred wait waits too.
func deferred() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { defer h.r.wg.Wait() }) // want `finalizer deferred.func1 can wait without bound.*waiting for go \(\*Res\).start.func1`
	runtime.SetFinalizer(&Res{}, func(r *Res) { defer r.wg.Done() })
}

// Several waits: the shortest witness is shown.
func several() {
	runtime.SetFinalizer(&Res{}, func(r *Res) { // want `finalizer several.func1 can wait without bound \(and 1 more\).*→ \(\*exec.Cmd\).Wait`
		r.close()
		r.cmd.Wait()
	})
}

// A context with a timeout is done after a bounded time; one that is only
// cancelled is not.
func contexts() {
	runtime.SetFinalizer(&Res{}, func(r *Res) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		select {
		case r.ch <- 1:
		case <-ctx.Done():
		}
	})
	runtime.SetFinalizer(&Res{}, func(r *Res) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(time.Second))
		defer cancel()
		<-ctx.Done()
	})
	runtime.SetFinalizer(&Res{}, func(r *Res) { // want `finalizer contexts.func3 can wait without bound.*in select`
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		select {
		case r.ch <- 1:
		case <-ctx.Done():
		}
	})
}
