// Package deferclose holds loops whose deferred closure closes their
// done channel and then unlocks (pebble's LogWriter.flushLoop): the close
// happens as the loop returns, so a Close that stops the loop and waits
// on done is a bounded join. The twin's deferred closure only unlocks.
package deferclose

import (
	"runtime"
	"sync"
)

// Loop runs until quit is closed and closes closed as it returns.
type Loop struct {
	mu     sync.Mutex
	quit   chan struct{}
	closed chan struct{}
}

// NewLoop starts a loop.
func NewLoop() *Loop {
	l := &Loop{quit: make(chan struct{}), closed: make(chan struct{})}
	go l.run()
	return l
}

func (l *Loop) run() {
	l.mu.Lock()
	defer func() {
		close(l.closed)
		l.mu.Unlock()
	}()
	l.mu.Unlock()
	<-l.quit
	l.mu.Lock()
}

// Close stops the loop and waits for it.
func (l *Loop) Close() {
	close(l.quit)
	<-l.closed
}

// Leaky is Loop whose closed channel nothing closes.
type Leaky struct {
	mu     sync.Mutex
	quit   chan struct{}
	closed chan struct{}
}

// NewLeaky starts a loop.
func NewLeaky() *Leaky {
	l := &Leaky{quit: make(chan struct{}), closed: make(chan struct{})}
	go l.run()
	return l
}

func (l *Leaky) run() {
	l.mu.Lock()
	defer func() {
		l.mu.Unlock()
	}()
	l.mu.Unlock()
	<-l.quit
	l.mu.Lock()
}

// Close stops the loop and waits for a close that never comes.
func (l *Leaky) Close() {
	close(l.quit)
	<-l.closed
}

// Handle owns a loop of each kind.
type Handle struct {
	l *Loop
	k *Leaky
}

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.l.Close() })
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.k.Close() }) // want `finalizer finalize.func2 can wait without bound.*\(\*Leaky\).Close \(deferclose.go:\d+\) → receive from Leaky.closed`
}
