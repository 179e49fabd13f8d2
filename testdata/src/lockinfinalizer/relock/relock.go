// Package relock takes mutexes it already holds, from signal handlers,
// finalizers and cleanups, next to the twins that do not.
package relock

import (
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
)

var mu sync.Mutex

var state int

// bump takes mu and releases it before it returns, deferred.
func bump() {
	mu.Lock()
	defer mu.Unlock()
	state++
}

// stop takes mu and calls bump, which takes mu again: the deferred
// Unlock has not run yet.
func stop() {
	mu.Lock()
	defer mu.Unlock()
	bump()
}

func stopSignal() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler stopSignal takes relock.mu while it already holds it \(stop \(relock.go:36\) → relock.mu.Lock \(relock.go:27\)\): Go mutexes are not reentrant, so it waits for itself: deadlock; while it waits the signals it handles are ignored \(signal.Notify disabled their default action\): signal handler stopSignal → stop \(relock.go:36\) → bump \(relock.go:29\) → relock.mu.Lock \(relock.go:19\)`
	stop()
}

// stopOnce is the usual fix: lock once, and call what assumes the lock
// held.
func stopOnce() {
	mu.Lock()
	defer mu.Unlock()
	bumpLocked()
}

func bumpLocked() { state++ }

func stopOnceSignal() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	stopOnce()
}

// Released before the second take: silent.
func releasedFirst() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	mu.Lock()
	state = 0
	mu.Unlock()
	bump()
	bump()
}

// Lock, Unlock, Lock in a loop: silent.
func loop(n int) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	for i := 0; i < n; i++ {
		mu.Lock()
		state++
		mu.Unlock()
	}
}

// TryLock on a held mutex returns false: silent.
func try() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	mu.Lock()
	if mu.TryLock() {
		state++
	}
	mu.Unlock()
}

// A deferred call runs at return, after the Unlock below: silent.
func deferred() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	mu.Lock()
	defer bump()
	state++
	mu.Unlock()
}

// Server has a mutex per instance.
type Server struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	peer  *Server
	count int
}

func (s *Server) helper() {
	s.mu.Lock()
	s.count++
	s.mu.Unlock()
}

// Stop holds s.mu and calls a helper that takes s.mu on the same
// receiver.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.helper()
}

func (s *Server) handle() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler \(\*Server\).handle takes Server.mu while it already holds it \(\(\*Server\).Stop \(relock.go:129\) → Server.mu.Lock \(relock.go:120\)\).*→ \(\*Server\).Stop \(relock.go:129\) → \(\*Server\).helper \(relock.go:122\) → Server.mu.Lock \(relock.go:112\)`
	s.Stop()
}

// Two instances of one lock class: silent.
func (s *Server) handOver() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peer.helper()
}

func (s *Server) handleHandOver() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	s.handOver()
}

func pair(a, b *Server) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.helper()
}

func handlePair(a, b *Server) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	pair(a, b)
}

// A read lock taken twice: a writer queued in between deadlocks it.
func (s *Server) read() int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	return s.count
}

func (s *Server) snapshot() int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	return s.read()
}

func (s *Server) handleRead() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler \(\*Server\).handleRead read-locks Server.rw while it already holds a read lock on it .*a writer that calls Lock in between waits for the first read lock and blocks the second: deadlock`
	s.snapshot()
}

func (s *Server) handleReadOnce() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	s.read()
	s.read()
}

// close takes s.mu unless its caller holds it.
func (s *Server) close(locked bool) {
	if !locked {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	s.count = 0
}

func (s *Server) handleClose() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	s.mu.Lock()
	s.close(true)
	s.mu.Unlock()
	s.close(false)
}

func (s *Server) handleCloseWrong() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler \(\*Server\).handleCloseWrong takes Server.mu while it already holds it`
	s.mu.Lock()
	s.close(false)
	s.mu.Unlock()
}

// lock is a lock helper: it returns holding s.mu.
func (s *Server) lock() { s.mu.Lock() }

func (s *Server) unlock() { s.mu.Unlock() }

func (s *Server) handleHelper() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler \(\*Server\).handleHelper takes Server.mu while it already holds it \(\(\*Server\).lock \(relock.go:\d+\) → Server.mu.Lock`
	s.lock()
	s.helper()
	s.unlock()
}

func (s *Server) handleHelperOK() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	s.lock()
	s.count++
	s.unlock()
	s.helper()
}

// Obj is finalized; its finalizer flushes under its own mutex.
type Obj struct {
	mu  sync.Mutex
	buf []byte
}

func (o *Obj) flush() {
	o.mu.Lock()
	o.buf = nil
	o.mu.Unlock()
}

func (o *Obj) finalize() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flush()
}

func (o *Obj) finalizeOK() {
	o.flush()
	o.mu.Lock()
	o.buf = o.buf[:0]
	o.mu.Unlock()
}

func track() {
	runtime.SetFinalizer(&Obj{}, (*Obj).finalize) // want `finalizer \(\*Obj\).finalize takes Obj.mu while it already holds it.*one goroutine runs all finalizers`
	runtime.SetFinalizer(&Obj{}, (*Obj).finalizeOK)
}

// A cleanup that takes the package-level mutex twice.
func release(int) {
	mu.Lock()
	bump()
	mu.Unlock()
}

func releaseOK(int) {
	bump()
	bump()
}

func cleanups() {
	runtime.AddCleanup(&Obj{}, release, 1) // want `cleanup release takes relock.mu while it already holds it`
	runtime.AddCleanup(&Obj{}, releaseOK, 1)
}

// Box is generic; its methods relock like any other.
type Box[T any] struct {
	mu sync.Mutex
	v  T
}

func (b *Box[T]) set(v T) {
	b.mu.Lock()
	b.v = v
	b.mu.Unlock()
}

func (b *Box[T]) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	var zero T
	b.set(zero)
}

func (b *Box[T]) handle() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler \(\*Box\[T\]\).handle takes Box.mu while it already holds it`
	b.reset()
}

// walk recurses with the lock held: the second level waits for the
// first.
func (s *Server) walk(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > 0 {
		s.walk(n - 1)
	}
}

// ping and pong recurse into each other, taking the lock on the way and
// releasing it before the call: silent.
func (s *Server) ping(n int) {
	s.mu.Lock()
	s.count++
	s.mu.Unlock()
	if n > 0 {
		s.pong(n - 1)
	}
}

func (s *Server) pong(n int) {
	s.mu.Lock()
	s.count--
	s.mu.Unlock()
	if n > 0 {
		s.ping(n - 1)
	}
}

func (s *Server) handleWalk() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler \(\*Server\).handleWalk takes Server.mu while it already holds it`
	s.walk(3)
	s.ping(3)
}

func (s *Server) handlePing() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	s.ping(3)
}
