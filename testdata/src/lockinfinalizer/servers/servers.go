// Package servers holds the shutdown shapes of real servers, each next to
// a twin that can wait forever: goroutines started through a spawner, a
// release loop run under pprof.Do, a WaitGroup counting the requests a
// service loop answers, listeners closed before their accept loops are
// awaited, a Cond that a goroutine of the type broadcasts, a semaphore
// taken and given back through helpers, a lock made of a Cond and a flag,
// and the finalizer of an object whose own WaitGroup its goroutines mark
// done.
package servers

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

// Server starts its goroutines through startGoRoutine, which counts them
// in grWG (nats-server).
type Server struct {
	mu     sync.Mutex
	grWG   sync.WaitGroup
	quit   chan struct{}
	events chan int
}

func (s *Server) startGoRoutine(f func()) {
	s.grWG.Add(1)
	go func() { f() }()
}

// loop returns when quit is closed.
func (s *Server) loop() {
	defer s.grWG.Done()
	for {
		select {
		case <-s.quit:
			return
		case e := <-s.events:
			_ = e
		}
	}
}

func (s *Server) Start() { s.startGoRoutine(s.loop) }

// Shutdown closes quit, then waits for the goroutines: they return.
func (s *Server) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.quit)
	s.grWG.Wait()
}

// Drain waits for them without telling them to stop: only the signal
// handler's Shutdown does, and it needs mu first.
func (s *Server) Drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grWG.Wait()
}

func (s *Server) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c // want `^signal handler \(\*Server\).handleSignals.func1 takes Server.mu, which \(\*Server\).Drain \(servers.go:\d+\) holds across \(\*sync.WaitGroup\).Wait, waiting for go \(\*Server\).loop \(servers.go:\d+\) → .*receive from Server.quit, waiting for go \(\*Server\).handleSignals.func1 .*, and that goroutine needs Server.mu first: deadlock`
		s.Shutdown()
		os.Exit(0)
	}()
}

// Shard releases its values on a goroutine run under pprof.Do (pebble's
// table cache), counting them in releasing.
type Shard struct {
	mu        sync.Mutex
	releaseCh chan int
	releasing sync.WaitGroup
	exit      sync.WaitGroup
}

func (c *Shard) init() {
	c.releaseCh = make(chan int, 100)
	c.exit.Add(1)
	go c.releaseLoop()
}

func (c *Shard) releaseLoop() {
	pprof.Do(context.Background(), pprof.Labels("op", "release"), func(context.Context) {
		defer c.exit.Done()
		for v := range c.releaseCh {
			_ = v
			c.releasing.Done()
		}
	})
}

func (c *Shard) release(v int) {
	c.releasing.Add(1)
	c.releaseCh <- v
}

// Close waits for the releases in flight, then for the loop, which ends
// when releaseCh is closed: both end.
func (c *Shard) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.releasing.Wait()
	close(c.releaseCh)
	c.exit.Wait()
}

// Stop waits for the loop without closing releaseCh.
func (c *Shard) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exit.Wait()
}

type ShardHandle struct{ c *Shard }

func NewShardHandle(c *Shard) *ShardHandle {
	h := &ShardHandle{c: c}
	runtime.SetFinalizer(h, func(h *ShardHandle) { // want `^finalizer NewShardHandle.func1 takes Shard.mu, which \(\*Shard\).Stop \(servers.go:\d+\) holds across \(\*sync.WaitGroup\).Wait, waiting for go \(\*Shard\).releaseLoop`
		h.c.mu.Lock()
		h.c.mu.Unlock()
	})
	return h
}

// Front serves HTTP on a listener it keeps: Close closes the listener,
// then waits for the server goroutine, whose Serve returns.
type Front struct {
	mu   sync.Mutex
	l    net.Listener
	done chan struct{}
}

func (f *Front) Start() error {
	l, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		return err
	}
	f.l = l
	srv := &http.Server{ReadTimeout: time.Second}
	go func() {
		srv.Serve(l)
		f.done <- struct{}{}
	}()
	return nil
}

func (f *Front) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.l.Close()
	<-f.done
}

// Wait waits for the server goroutine with the listener open.
func (f *Front) Wait() {
	f.mu.Lock()
	defer f.mu.Unlock()
	<-f.done
}

type FrontHandle struct{ f *Front }

func NewFrontHandle(f *Front) *FrontHandle {
	h := &FrontHandle{f: f}
	runtime.SetFinalizer(h, func(h *FrontHandle) { // want `^finalizer NewFrontHandle.func1 takes Front.mu, which \(\*Front\).Wait \(servers.go:\d+\) holds across receive from Front.done, waiting for go \(\*Front\).Start.func1 \(servers.go:\d+\) → \(\*http.Server\).Serve`
		h.f.mu.Lock()
		h.f.mu.Unlock()
	})
	return h
}

// Cleaner runs jobs on a goroutine and broadcasts as each completes
// (pebble's cleanup manager): Wait queues a job, then waits on the Cond.
type Cleaner struct {
	mu   sync.Mutex
	cond *sync.Cond
	jobs chan int
	done int
}

func NewCleaner() *Cleaner {
	c := &Cleaner{jobs: make(chan int, 16)}
	c.cond = sync.NewCond(&c.mu)
	go c.mainLoop()
	return c
}

func (c *Cleaner) mainLoop() {
	for j := range c.jobs {
		c.mu.Lock()
		c.done = j
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

func (c *Cleaner) Wait(j int) {
	c.jobs <- j
	c.mu.Lock()
	for c.done < j {
		c.cond.Wait()
	}
	c.mu.Unlock()
}

var (
	flushMu sync.Mutex
	cleaner = NewCleaner()
)

func flush() {
	flushMu.Lock()
	defer flushMu.Unlock()
	cleaner.Wait(1)
}

// Gate's Cond is broadcast by nobody: a wait on it can last forever.
type Gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

var (
	gateMu sync.Mutex
	gate   = &Gate{cond: sync.NewCond(new(sync.Mutex))}
)

func (g *Gate) Await() {
	g.cond.L.Lock()
	for !g.open {
		g.cond.Wait()
	}
	g.cond.L.Unlock()
}

func enter() {
	gateMu.Lock()
	defer gateMu.Unlock()
	gate.Await()
}

func trapCleaner() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP)
	<-c // want `^signal handler trapCleaner takes servers.gateMu, which enter \(servers.go:\d+\) holds across \(\*Gate\).Await \(servers.go:\d+\) → \(\*sync.Cond\).Wait`
	flushMu.Lock()
	flushMu.Unlock()
	gateMu.Lock()
	gateMu.Unlock()
}

// disk is a semaphore taken and given back through helpers (nats-server's
// diskIOSemaphore): its sections take a token and give it back.
type disk struct{ ch chan struct{} }

func newDisk(n int) *disk {
	d := &disk{ch: make(chan struct{}, n)}
	for i := 0; i < n; i++ {
		d.ch <- struct{}{}
	}
	return d
}

func (d *disk) acquire() { <-d.ch }
func (d *disk) release() { d.ch <- struct{}{} }

var (
	ioMu sync.Mutex
	dios = newDisk(4)
)

func writeFile() {
	ioMu.Lock()
	defer ioMu.Unlock()
	dios.acquire()
	time.Sleep(time.Millisecond)
	dios.release()
}

func trapDisk() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR1)
	<-c
	ioMu.Lock()
	ioMu.Unlock()
}

// DB's goroutines mark its own WaitGroup done: its finalizer does not
// wait for them, they reach db, which is unreachable once they are gone
// (goleveldb's DB.Close). Its receive from done waits for a goroutine that
// sends, and is gone: nothing sends any more.
type DB struct {
	closeW sync.WaitGroup
	quit   chan struct{}
	done   chan int
}

func OpenDB() *DB {
	db := &DB{quit: make(chan struct{}), done: make(chan int)}
	db.closeW.Add(1)
	go db.compaction()
	runtime.SetFinalizer(db, (*DB).Close)
	return db
}

func (db *DB) compaction() {
	defer db.closeW.Done()
	for {
		select {
		case <-db.quit:
			return
		case db.done <- 1:
		}
	}
}

func (db *DB) Close() {
	db.closeW.Wait()
}

func OpenStuckDB() *DB {
	db := &DB{quit: make(chan struct{}), done: make(chan int)}
	go db.compaction()
	runtime.SetFinalizer(db, func(db *DB) { <-db.done }) // want `^finalizer OpenStuckDB.func1 can wait without bound; .*: finalizer OpenStuckDB.func1 → receive from DB.done`
	return db
}

// Manager's loop broadcasts as each queued job completes (pebble's
// cleanup manager): Wait waits for the jobs queued so far, which the loop
// takes and completes, whoever queued them.
type Manager struct {
	mu        sync.Mutex
	cond      sync.Cond
	jobs      chan int
	queued    int
	completed int
}

func NewManager() *Manager {
	m := &Manager{jobs: make(chan int, 16)}
	m.cond.L = &m.mu
	go m.mainLoop()
	return m
}

func (m *Manager) mainLoop() {
	for j := range m.jobs {
		_ = j
		m.mu.Lock()
		m.completed++
		m.cond.Broadcast()
		m.mu.Unlock()
	}
}

func (m *Manager) Enqueue(j int) {
	m.mu.Lock()
	m.queued++
	m.mu.Unlock()
	m.jobs <- j
}

func (m *Manager) Wait() {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.queued
	for m.completed < n {
		m.cond.Wait()
	}
}

var (
	cleanMu sync.Mutex
	manager = NewManager()
)

func cleanup() {
	cleanMu.Lock()
	defer cleanMu.Unlock()
	manager.Wait()
}

func trapManager() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGUSR2)
	<-c
	cleanMu.Lock()
	cleanMu.Unlock()
}

// versions guards its manifest with a lock made of a Cond and a flag
// (pebble's logLock): a wait for it lasts while a writer holds it, and
// the writers hold it while they write a file.
type versions struct {
	mu      sync.Mutex
	cond    sync.Cond
	writing bool
	out     *os.File
	peer    net.Conn
}

func (v *versions) logLock() {
	for v.writing {
		v.cond.Wait()
	}
	v.writing = true
}

func (v *versions) logUnlock() {
	v.writing = false
	v.cond.Signal()
}

func (v *versions) write(b []byte) {
	v.mu.Lock()
	v.logLock()
	v.mu.Unlock()
	v.out.Write(b)
	v.mu.Lock()
	v.logUnlock()
	v.mu.Unlock()
}

// ship holds the manifest lock across a read from the network with no
// deadline: a wait for the lock can last as long.
func (v *versions) ship(b []byte) {
	v.mu.Lock()
	v.logLock()
	v.mu.Unlock()
	v.peer.Read(b)
	v.mu.Lock()
	v.logUnlock()
	v.mu.Unlock()
}

var manifest = &versions{}

func init() { manifest.cond.L = &manifest.mu }

func trapVersions() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGWINCH)
	<-c // want `^signal handler trapVersions takes versions.cond, which \(\*versions\).ship \(servers.go:\d+\) holds across \(net.Conn\).Read`
	manifest.mu.Lock()
	manifest.logLock()
	manifest.mu.Unlock()
}

// journal's writers hold its Cond lock only while they write a file: a
// wait for it ends.
type journal struct {
	mu      sync.Mutex
	cond    *sync.Cond
	writing bool
	out     *os.File
}

func (j *journal) lock() {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.writing {
		j.cond.Wait()
	}
	j.writing = true
}

func (j *journal) unlock() {
	j.mu.Lock()
	j.writing = false
	j.cond.Broadcast()
	j.mu.Unlock()
}

func (j *journal) write(b []byte) {
	j.lock()
	defer j.unlock()
	j.out.Write(b)
}

var jnl = newJournal()

func newJournal() *journal {
	j := &journal{}
	j.cond = sync.NewCond(&j.mu)
	return j
}

func trapJournal() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGPIPE)
	<-c
	jnl.write(nil)
}

// Sweeper's loop skips the broadcast for some jobs: a Wait for them can
// last forever.
type Sweeper struct {
	mu        sync.Mutex
	cond      sync.Cond
	jobs      chan int
	queued    int
	completed int
}

func NewSweeper() *Sweeper {
	s := &Sweeper{jobs: make(chan int, 16)}
	s.cond.L = &s.mu
	go s.mainLoop()
	return s
}

func (s *Sweeper) mainLoop() {
	for j := range s.jobs {
		if j < 0 {
			continue
		}
		s.mu.Lock()
		s.completed++
		s.cond.Broadcast()
		s.mu.Unlock()
	}
}

func (s *Sweeper) Wait() {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.queued
	for s.completed < n {
		s.cond.Wait()
	}
}

var (
	sweepMu sync.Mutex
	sweeper = NewSweeper()
)

func sweep() {
	sweepMu.Lock()
	defer sweepMu.Unlock()
	sweeper.Wait()
}

func trapSweeper() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTTIN)
	<-c // want `^signal handler trapSweeper takes servers.sweepMu, which sweep \(servers.go:\d+\) holds across \(\*Sweeper\).Wait \(servers.go:\d+\) → \(\*sync.Cond\).Wait`
	sweepMu.Lock()
	sweepMu.Unlock()
}
