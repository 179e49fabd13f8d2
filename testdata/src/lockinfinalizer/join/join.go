// Package join holds joins: "close(stop); <-done", where done is closed
// only by a goroutine that watches stop. The receive waits for what that
// goroutine's loop is doing when stop closes, so it is an unbounded wait
// only when that is (certmagic's Cache.Stop and quic-go's
// baseServer.close are the silent shapes). A root that closes a quit
// channel before it takes a lock is not kept waiting by a holder of that
// lock that waits in a select on the quit channel (goleveldb's DB.Close).
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
		for range c { // want `signal handler trap.func1 takes join.slowMu, which slowReload \(join.go:\d+\) holds across \(\*SlowCache\).Stop \(join.go:\d+\) → wait for \(\*SlowCache\).maintain to stop \(join.go:\d+\) → time.Sleep \(join.go:\d+\);` `signal handler trap.func1 takes Server.closeMu, which \(\*Server\).Wait \(join.go:\d+\) holds across receive from Server.running \(join.go:\d+\);`
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
	runtime.SetFinalizer(h, func(h *SlowHandle) { h.c.Stop() }) // want `finalizer NewSlowHandle.func1 can wait without bound; .*: finalizer NewSlowHandle.func1 → \(\*SlowCache\).Stop \(join.go:\d+\) → wait for \(\*SlowCache\).maintain to stop \(join.go:\d+\) → time.Sleep \(join.go:\d+\) \(lockinfinalizer/blocking\)$`
	return h
}

// DB asks its compaction goroutine for rounds, unless it is closed.
type DB struct {
	closeC chan struct{}
	compC  chan chan error
	tr     *Tx
}

// Tx holds its lock across a compaction round.
type Tx struct {
	lk sync.Mutex
	db *DB
}

func OpenDB() *DB {
	db := &DB{closeC: make(chan struct{}), compC: make(chan chan error)}
	runtime.SetFinalizer(db, (*DB).Close) // silent: Close closes closeC before it takes tr.lk
	return db
}

// compWait waits for the compaction goroutine, or for closeC to close.
func (db *DB) compWait() {
	ch := make(chan error)
	select {
	case db.compC <- ch:
	case <-db.closeC:
	}
}

func (tr *Tx) Commit() {
	tr.lk.Lock()
	defer tr.lk.Unlock()
	tr.db.compWait()
}

func (db *DB) Close() {
	close(db.closeC)
	if db.tr != nil {
		db.tr.lk.Lock()
		db.tr.lk.Unlock()
	}
}

// Store closes its quit channel only after it takes the lock, so a holder
// in compWait keeps it waiting.
type Store struct {
	quit  chan struct{}
	compC chan chan error
	mu    sync.Mutex
}

func (s *Store) compWait() {
	ch := make(chan error)
	select {
	case s.compC <- ch:
	case <-s.quit:
	}
}

func (s *Store) Sync() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compWait()
}

func (s *Store) Close() {
	s.mu.Lock()
	close(s.quit)
	s.mu.Unlock()
}

type StoreRef struct{ s *Store }

func OpenStore() *StoreRef {
	h := &StoreRef{s: &Store{quit: make(chan struct{}), compC: make(chan chan error)}}
	runtime.SetFinalizer(h, func(h *StoreRef) { h.s.Close() }) // want `finalizer OpenStore.func1 takes Store.mu, which \(\*Store\).Sync \(join.go:\d+\) holds across \(\*Store\).compWait \(join.go:\d+\) → send to Store.compC in select`
	return h
}

// Trap closes quit before it takes mu, from a signal handler.
func Trap(s *Store) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c // silent: the close ends Sync's select
	close(s.quit)
	s.mu.Lock()
	s.mu.Unlock()
	os.Exit(0)
}
