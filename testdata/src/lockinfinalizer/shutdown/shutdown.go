// Package shutdown holds signal handlers that run the graceful shutdown
// themselves. A section the handler itself runs (Stop, holding mu across
// the join of the workers) is the shutdown waiting by design: a second
// caller of Stop makes the handler wait for no more than it waits for
// itself. A section the handler does not run (Reload) is evidence.
// A finalizer's own section is its own wait, which the blocking rule
// reports once.
package shutdown

import (
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
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
		for range c { // want `signal handler trapReopen.func1 takes Server.reloadMu, which \(\*Server\).Reload \(shutdown.go:\d+\) holds across \(\*sync.WaitGroup\).Wait`
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
		for range c { // want `signal handler trapReset.func1 takes Server.mu, which \(\*Server\).Stop \(shutdown.go:\d+\) holds across \(\*sync.WaitGroup\).Wait`
			s.reset()
		}
	}()
}

// Conn's finalizer holds connMu across its own wait.
var connMu sync.Mutex

type Conn struct{ done chan struct{} }

func NewConn() *Conn {
	c := &Conn{done: make(chan struct{})}
	runtime.SetFinalizer(c, (*Conn).Close) // want `^finalizer \(\*Conn\).Close can wait without bound`
	return c
}

func (c *Conn) Close() {
	connMu.Lock()
	<-c.done
	connMu.Unlock()
}

// Pipe's finalizer takes pipeMu, which Drain holds across a wait too.
var pipeMu sync.Mutex

type Pipe struct{ done chan struct{} }

func NewPipe() *Pipe {
	p := &Pipe{done: make(chan struct{})}
	runtime.SetFinalizer(p, (*Pipe).Close) // want `^finalizer \(\*Pipe\).Close can wait without bound` `^finalizer \(\*Pipe\).Close takes shutdown.pipeMu, which \(\*Pipe\).Drain \(shutdown.go:\d+\) holds across time.Sleep`
	return p
}

func (p *Pipe) Close() {
	pipeMu.Lock()
	<-p.done
	pipeMu.Unlock()
}

func (p *Pipe) Drain() {
	pipeMu.Lock()
	time.Sleep(time.Second)
	pipeMu.Unlock()
}
