// Package shutdown holds signal handlers that run the graceful shutdown
// themselves. A section the handler itself runs (Stop, holding mu across
// the join of the workers) is the shutdown waiting by design: a second
// caller of Stop makes the handler wait for no more than it waits for
// itself. A section the handler does not run (Reload) is evidence.
package shutdown

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Server runs workers until it is stopped.
type Server struct {
	mu       sync.Mutex // Stop holds it across the join; the handler runs Stop
	reloadMu sync.Mutex // Reload holds it across the join; no handler runs Reload
	wg       sync.WaitGroup
	quit     chan struct{}
	n        int
}

// Stop stops the workers and waits for them.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.quit)
	s.wg.Wait()
}

// Reload waits for the workers under reloadMu.
func (s *Server) Reload() {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	s.wg.Wait()
}

func (s *Server) reopen() {
	s.reloadMu.Lock()
	s.n++
	s.reloadMu.Unlock()
}

func (s *Server) reset() {
	s.mu.Lock()
	s.n = 0
	s.mu.Unlock()
}

// trapStop runs the shutdown itself: silent.
func trapStop(s *Server) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c
		s.Stop()
		os.Exit(0)
	}()
}

// trapReopen takes reloadMu, which Reload holds across the join.
func trapReopen(s *Server) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP)
	go func() {
		for range c { // want `signal handler trapReopen.func1 takes Server.reloadMu, which \(\*Server\).Reload \(shutdown.go:34\) holds across \(\*sync.WaitGroup\).Wait`
			s.reopen()
		}
	}()
}

// trapReset takes mu in a section of its own while Stop, which another
// goroutine may be running, holds it across the join.
func trapReset(s *Server) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	go func() {
		for range c { // want `signal handler trapReset.func1 takes Server.mu, which \(\*Server\).Stop \(shutdown.go:26\) holds across \(\*sync.WaitGroup\).Wait`
			s.reset()
		}
	}()
}
