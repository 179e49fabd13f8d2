// Package shutdown holds signal handlers that run the graceful shutdown
// themselves. Stop closes quit before it joins the workers, whose loops
// return when quit is closed: a join that ends, so neither the handler
// that calls Stop nor one that takes mu while Stop holds it waits for
// ever. Reload joins the workers without telling them to stop: a wait
// that can last for ever, held under reloadMu. A finalizer's own section
// is its own wait, which the blocking rule reports once.
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

// start runs a worker until quit is closed.
func (s *Server) start(jobs <-chan int) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			select {
			case <-s.quit:
				return
			case j := <-jobs:
				s.n += j
			}
		}
	}()
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
		for range c { // want `signal handler trapReopen.func1 takes Server.reloadMu, which \(\*Server\).Reload \(shutdown.go:\d+\) holds across \(\*sync.WaitGroup\).Wait, waiting for go \(\*Server\).start.func1 \(shutdown.go:\d+\) → receive from`
			s.reopen()
		}
	}()
}

// trapReset takes mu in a section of its own while Stop, which another
// goroutine may be running, holds it across the join: a join that ends.
func trapReset(s *Server) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	go func() {
		for range c {
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

// Pipe's finalizer takes pipeMu, which Drain holds only across a sleep.
var pipeMu sync.Mutex

type Pipe struct{ done chan struct{} }

func NewPipe() *Pipe {
	p := &Pipe{done: make(chan struct{})}
	runtime.SetFinalizer(p, (*Pipe).Close) // want `^finalizer \(\*Pipe\).Close can wait without bound`
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
