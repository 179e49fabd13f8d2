// Sigshutdown_fixed is sigshutdown with a Shutdown that sends unlocked.
//
// Shutdown updates the server state under srv.mu, releases the lock, and only
// then reports completion on srv.done. The SIGTERM handler can take srv.mu,
// receive from srv.done and finish handling SIGTERM.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Server is a server with a graceful shutdown.
type Server struct {
	mu       sync.Mutex
	stopping bool
	closed   bool
	done     chan struct{} // unbuffered: Shutdown reports completion to the handler
	closing  atomic.Bool   // Shutdown is in progress
}

// Shutdown closes the server and tells the signal handler it is done.
func (s *Server) Shutdown() {
	s.mu.Lock()
	s.closing.Store(true)
	s.closed = true
	s.mu.Unlock()
	s.done <- struct{}{}
}

var handled = make(chan struct{}) // closed when the handler has finished

// handleSignals waits for SIGTERM, marks the server as stopping and waits for
// Shutdown to complete.
func (s *Server) handleSignals(sigs <-chan os.Signal) {
	<-sigs
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	<-s.done
	close(handled)
}

func main() {
	srv := &Server{done: make(chan struct{})}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go srv.handleSignals(sigs)

	go srv.Shutdown()
	for !srv.closing.Load() {
		time.Sleep(time.Millisecond)
	}
	syscall.Kill(os.Getpid(), syscall.SIGTERM)

	select {
	case <-handled:
		fmt.Println("handled SIGTERM, shut down cleanly")
	case <-time.After(2 * time.Second):
		syscall.Kill(os.Getpid(), syscall.SIGTERM) // does nothing either
		time.Sleep(100 * time.Millisecond)
		fmt.Println("stalled for 2s: SIGTERM handler deadlocked; SIGTERM is now ignored")
	}
}
