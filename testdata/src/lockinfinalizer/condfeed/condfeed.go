// Package condfeed holds loops that wait on a sync.Cond until told to
// close (pebble's LogWriter flush loop): a Close that sets the flag and
// signals the Cond before it waits for the loop to finish is a bounded
// join. The twin waits for the loop without signalling it.
package condfeed

import (
	"runtime"
	"sync"
)

// Loop waits for work until closing is set.
type Loop struct {
	mu      sync.Mutex
	ready   *sync.Cond
	closing bool
	done    chan struct{}
}

// NewLoop starts a loop.
func NewLoop() *Loop {
	l := &Loop{done: make(chan struct{})}
	l.ready = sync.NewCond(&l.mu)
	go l.run()
	return l
}

func (l *Loop) run() {
	defer close(l.done)
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.closing {
		l.ready.Wait()
	}
}

// Close tells the loop to stop and waits for it.
func (l *Loop) Close() {
	l.mu.Lock()
	l.closing = true
	l.ready.Signal()
	l.mu.Unlock()
	<-l.done
}

// Join waits for the loop without telling it anything.
func (l *Loop) Join() {
	<-l.done
}

// Handle owns a loop.
type Handle struct{ l *Loop }

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.l.Close() })
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.l.Join() }) // want `finalizer finalize.func2 can wait without bound.*\(\*Loop\).Join \(condfeed.go:\d+\) → receive from Loop.done, waiting for go \(\*Loop\).run .*Cond\).Wait`
}
