// Package join holds joins: "close(stop); <-done", where done is closed
// only by a goroutine that watches stop. The receive waits for what that
// goroutine's loop is doing when stop closes, so it is an unbounded wait
// only when that is (certmagic's Cache.Stop and quic-go's
// baseServer.close are the silent shapes).
package join

import (
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// Cache renews its entries on a goroutine until it is stopped.
type Cache struct {
	stop, done chan struct{}
	n          int
}

func NewCache() *Cache {
	c := &Cache{stop: make(chan struct{}), done: make(chan struct{})}
	go c.maintain()
	return c
}

func (c *Cache) maintain() {
	tick := time.NewTicker(time.Minute)
	for {
		select {
		case <-tick.C:
			c.n++
		case <-c.stop:
			tick.Stop()
			close(c.done)
			return
		}
	}
}

// Stop stops the maintenance goroutine and waits for it.
func (c *Cache) Stop() {
	close(c.stop)
	<-c.done
}

// SlowCache's goroutine sleeps between renewals, inside its loop.
type SlowCache struct {
	stop, done chan struct{}
}

func NewSlowCache() *SlowCache {
	c := &SlowCache{stop: make(chan struct{}), done: make(chan struct{})}
	go c.maintain()
	return c
}

func (c *SlowCache) maintain() {
	for {
		select {
		case <-c.stop:
			close(c.done)
			return
		default:
			time.Sleep(time.Hour)
		}
	}
}

func (c *SlowCache) Stop() {
	close(c.stop)
	<-c.done
}

// Server's run loop returns when errs is closed, and closes running as it
// returns.
type Server struct {
	closeMu sync.Mutex
	errs    chan error
	running chan struct{}
	conns   chan int
}

func NewServer() *Server {
	s := &Server{errs: make(chan error), running: make(chan struct{}), conns: make(chan int)}
	go s.run()
	return s
}

func (s *Server) run() {
	defer close(s.running)
	for {
		select {
		case <-s.errs:
			return
		case n := <-s.conns:
			_ = n
		}
	}
}

func (s *Server) Close() {
	s.closeMu.Lock()
	close(s.errs)
	<-s.running
	s.closeMu.Unlock()
}

// Waiter waits for done without closing anything first: nothing tells the
// goroutine to stop.
func (s *Server) Wait() {
	s.closeMu.Lock()
	<-s.running
	s.closeMu.Unlock()
}

var (
	mu     sync.Mutex
	slowMu sync.Mutex
	cache  = NewCache()
	slow   = NewSlowCache()
	srv    = NewServer()
)

func reload() {
	mu.Lock()
	defer mu.Unlock()
	cache.Stop()
	cache = NewCache()
}

func slowReload() {
	slowMu.Lock()
	defer slowMu.Unlock()
	slow.Stop()
	slow = NewSlowCache()
}

func trap() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP)
	go func() {
		for range c { // want `signal handler trap.func1 takes join.slowMu, which slowReload \(join.go:135\) holds across \(\*SlowCache\).Stop \(join.go:137\) → wait for \(\*SlowCache\).maintain to stop \(join.go:74\) → time.Sleep \(join.go:67\);` `signal handler trap.func1 takes Server.closeMu, which \(\*Server\).Wait \(join.go:114\) holds across receive from Server.running \(join.go:115\);`
			mu.Lock()
			mu.Unlock()
			slowMu.Lock()
			slowMu.Unlock()
			srv.closeMu.Lock()
			srv.closeMu.Unlock()
		}
	}()
}

// Handle's finalizer stops its cache: a bounded wait.
type Handle struct{ c *Cache }

func NewHandle() *Handle {
	h := &Handle{c: NewCache()}
	runtime.SetFinalizer(h, func(h *Handle) { h.c.Stop() })
	return h
}

// SlowHandle's finalizer waits for a goroutine that sleeps.
type SlowHandle struct{ c *SlowCache }

func NewSlowHandle() *SlowHandle {
	h := &SlowHandle{c: NewSlowCache()}
	runtime.SetFinalizer(h, func(h *SlowHandle) { h.c.Stop() }) // want `finalizer NewSlowHandle.func1 can wait without bound; .*: finalizer NewSlowHandle.func1 → \(\*SlowCache\).Stop \(join.go:170\) → wait for \(\*SlowCache\).maintain to stop \(join.go:74\) → time.Sleep \(join.go:67\)$`
	return h
}
