// Package cycle has roots that take a lock whose holder waits for the root
// itself: a deadlock, reported as cycle. Twins take a lock whose holder
// waits for someone else (lock), or complete the wait without the lock.
package cycle

import (
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
)

// Conn waits, holding mu, until its finalizer closes done.
type Conn struct {
	mu   sync.Mutex
	done chan struct{}
	buf  chan []byte
	n    int
}

type Handle struct{ c *Conn }

func (c *Conn) awaitClose() {
	c.mu.Lock()
	<-c.done
	c.mu.Unlock()
}

func (c *Conn) awaitData() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return <-c.buf
}

func (c *Conn) release() {
	c.mu.Lock()
	c.n--
	c.mu.Unlock()
	close(c.done)
}

func finalizers() {
	// The finalizer takes Conn.mu, which awaitClose holds until the
	// finalizer closes done.
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.c.release() }) // want `finalizer finalizers.func1 takes Conn.mu, which \(\*Conn\).awaitClose \(cycle.go:\d+\) holds across receive from Conn.done \(cycle.go:\d+\), and only this finalizer completes it \(close of Conn.done\): deadlock`

	// Completing the wait without taking the lock is fine.
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { close(h.c.done) })

	// The lock is held across a wait that someone else completes: lock,
	// not cycle.
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer finalizers.func3 takes Conn.mu, which \(\*Conn\).await(Close|Data) .* holds across receive from Conn.(done|buf)`
		h.c.mu.Lock()
		h.c.n--
		h.c.mu.Unlock()
	})
}

func cleanups() {
	runtime.AddCleanup(&Handle{}, (*Conn).release, &Conn{}) // want `cleanup \(\*Conn\).release takes Conn.mu, which \(\*Conn\).awaitClose .* and only this cleanup completes it \(close of Conn.done\): deadlock`
	runtime.AddCleanup(&Handle{}, func(c *Conn) {           // want `cleanup cleanups.func1 takes Conn.mu, which \(\*Conn\).awaitData .* holds across receive from Conn.buf .* and only this cleanup completes it \(send to Conn.buf\): deadlock` `cleanup cleanups.func1 can wait without bound`
		c.mu.Lock()
		c.n--
		c.mu.Unlock()
		c.buf <- nil
	}, &Conn{})
}

// Server is stopped by Shutdown, which tells the signal handler it is done
// while it holds mu.
type Server struct {
	mu       sync.Mutex
	done     chan struct{}
	stopped  chan struct{}
	stopping bool
}

func (s *Server) Shutdown() {
	s.mu.Lock()
	s.done <- struct{}{}
	s.mu.Unlock()
}

func (s *Server) Stop() {
	s.mu.Lock()
	s.stopped <- struct{}{}
	s.mu.Unlock()
}

func (s *Server) handle(sigs <-chan os.Signal) {
	<-sigs // want `signal handler \(\*Server\).handle takes Server.mu, which \(\*Server\).Shutdown \(cycle.go:\d+\) holds across send to Server.done \(cycle.go:\d+\), and only this signal handler completes it \(receive from Server.done\): deadlock`
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	<-s.done
}

// handleOK waits for done before it takes the lock: Shutdown's send
// completes, Shutdown releases mu, and the handler goes on. Its lock is
// still held across a send someone else completes (Stop), so it is
// reported as lock, not cycle.
func (s *Server) handleOK(sigs <-chan os.Signal) {
	<-sigs // want `signal handler \(\*Server\).handleOK takes Server.mu, which \(\*Server\).(Shutdown|Stop) .* holds across send to Server.(done|stopped)`
	<-s.done
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
}

func (s *Server) handleNoLock(sigs <-chan os.Signal) {
	<-sigs
	s.stopping = true
	<-s.done
}

func run(s *Server) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go s.handle(sigs)
	go s.handleOK(sigs)
	go s.handleNoLock(sigs)
}
