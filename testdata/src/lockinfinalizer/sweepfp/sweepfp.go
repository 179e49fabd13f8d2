// Package sweepfp holds the shapes behind false positives found by running
// finalock over popular modules, each next to the hazard it resembles.
package sweepfp

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Writer flushes through a goroutine; every Flush makes its own reply
// channel (klauspost/compress s2).
type Writer struct {
	reqs chan chan error
}

// Flush waits for the writer goroutine to answer on a channel of its own.
func (w *Writer) Flush() error {
	res := make(chan error)
	w.reqs <- res
	return <-res
}

// Server is reloaded under its mutex.
type Server struct {
	mu    sync.Mutex
	w     *Writer
	done  chan struct{}
	reset chan struct{}

	out  outbound
	cmu  sync.Mutex
	cond struct {
		sync.Mutex
		c sync.Cond
	}
}

type outbound struct{ sg *sync.Cond }

// NewServer builds the Conds: one by sync.NewCond into a field, one by
// setting L.
func NewServer() *Server {
	s := &Server{done: make(chan struct{}), reset: make(chan struct{})}
	s.out.sg = sync.NewCond(&s.cmu)
	s.cond.c.L = &s.cond.Mutex
	return s
}

// Reload flushes under the mutex: the reply channel is Flush's own.
func (s *Server) Reload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w.Flush()
}

// Quit waits for the handler or for a reset from anyone else.
func (s *Server) Quit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.done <- struct{}{}:
	case s.reset <- struct{}{}:
	}
}

// Wait waits on Conds that release the locks held.
func (s *Server) Wait() {
	s.cmu.Lock()
	s.out.sg.Wait()
	s.cmu.Unlock()
	s.cond.Lock()
	s.cond.c.Wait()
	s.cond.Unlock()
}

// Handle handles SIGTERM: it flushes and receives from done, but shares
// no channel with a holder of mu, so mu is only held across waits that
// other goroutines complete (lock), never a cycle.
func (s *Server) Handle() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c // want `^signal handler \(\*Server\).Handle can wait without bound` `^signal handler \(\*Server\).Handle takes Server.mu, which \(\*Server\).(Quit|Reload) \(sweepfp.go:\d+\) holds across [^;]*\); while it waits`
	s.mu.Lock()
	s.w.Flush()
	<-s.done
	s.mu.Unlock()
	s.cmu.Lock() // silent: the Cond releases cmu while it waits
	s.cmu.Unlock()
	s.cond.Lock() // silent: the Cond's L is this mutex
	s.cond.Unlock()
}

// DB waits on a Cond in a helper that its callers call with the lock held
// (pebble's makeRoomForWrite): the Cond releases the lock.
type DB struct {
	mu struct {
		sync.Mutex
		compact struct{ cond sync.Cond }
	}
}

// Open sets the Cond's lock.
func Open() *DB {
	d := new(DB)
	d.mu.compact.cond.L = &d.mu.Mutex
	return d
}

// makeRoom is called with d.mu held and waits on its Cond.
func (d *DB) makeRoom() { d.mu.compact.cond.Wait() }

// Flush holds d.mu across makeRoom: not across a wait.
func (d *DB) Flush() {
	d.mu.Lock()
	d.makeRoom()
	d.mu.Unlock()
}

// HandleDB takes d.mu from a signal handler: silent.
func HandleDB(d *DB) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c
	d.mu.Lock()
	d.mu.Unlock()
}

// disableDeletions is called with d.mu held; it drops the lock while it
// waits and takes it back as it returns (pebble).
func (d *DB) disableDeletions(wg *sync.WaitGroup) {
	d.mu.Unlock()
	defer d.mu.Lock()
	wg.Wait()
}

// Estimate holds d.mu around disableDeletions: never across its wait.
func (d *DB) Estimate(wg *sync.WaitGroup) {
	d.mu.Lock()
	d.disableDeletions(wg)
	d.mu.Unlock()
}

// rotate drops d.mu and takes it back (pebble's rotateWAL).
func (d *DB) rotate() {
	d.mu.Unlock()
	d.mu.Lock()
}

// ingestLocked is called with d.mu held; after rotate it holds the lock
// again, and drops it across its wait (pebble's handleIngestAsFlushable).
func (d *DB) ingestLocked(wg *sync.WaitGroup) {
	d.rotate()
	d.mu.Unlock()
	wg.Wait()
	d.mu.Lock()
}

// Ingest holds d.mu around ingestLocked: never across its wait.
func (d *DB) Ingest(wg *sync.WaitGroup) {
	d.mu.Lock()
	d.ingestLocked(wg)
	d.mu.Unlock()
}

// versions gets the lock of its Cond from its caller (pebble's
// versionSet.init(…, mu *sync.Mutex)).
type versions struct{ cond sync.Cond }

func (v *versions) init(mu *sync.Mutex) { v.cond.L = mu }

func (v *versions) create(mu *sync.Mutex) { v.init(mu) }

// logLock is called with the lock the Cond releases held.
func (v *versions) logLock() { v.cond.Wait() }

// Store gives its versions its own mu.
type Store struct {
	mu    sync.Mutex
	other sync.Mutex
	vs    versions
}

func NewStore() *Store {
	s := new(Store)
	s.vs.create(&s.mu)
	return s
}

// Checkpoint holds mu around logLock: not across a wait.
func (s *Store) Checkpoint() {
	s.mu.Lock()
	s.vs.logLock()
	s.mu.Unlock()
}

// Compact holds other across logLock: the Cond releases mu, not other.
func (s *Store) Compact() {
	s.other.Lock()
	s.mu.Lock()
	s.vs.logLock()
	s.mu.Unlock()
	s.other.Unlock()
}

// HandleStore takes mu from a signal handler: silent.
func HandleStore(s *Store) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c
	s.mu.Lock()
	s.mu.Unlock()
}

// HandleOther takes other, which Compact holds across the wait.
func HandleOther(s *Store) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c // want `^signal handler HandleOther takes Store.other, which \(\*Store\).Compact \(sweepfp.go:\d+\) holds across \(\*versions\).logLock \(sweepfp.go:\d+\) → \(\*sync.Cond\).Wait`
	s.other.Lock()
	s.other.Unlock()
}

// slot gets its Cond's lock from callers that pass different locks, so
// which lock a slot's Cond releases is not known from its class.
type slot struct{ cond sync.Cond }

func (s *slot) init(mu *sync.Mutex) { s.cond.L = mu }

func (s *slot) wait() { s.cond.Wait() }

// Pair gives one slot a and the other b.
type Pair struct {
	a, b   sync.Mutex
	sa, sb slot
}

func NewPair() *Pair {
	p := new(Pair)
	p.sa.init(&p.a)
	p.sb.init(&p.b)
	return p
}

// HoldAWaitB holds a across the wait of sb's Cond, which releases b.
func (p *Pair) HoldAWaitB() {
	p.a.Lock()
	p.b.Lock()
	p.sb.wait()
	p.b.Unlock()
	p.a.Unlock()
}

// HandlePair takes a, which HoldAWaitB holds across the wait.
func HandlePair(p *Pair) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c // want `^signal handler HandlePair takes Pair.a, which \(\*Pair\).HoldAWaitB \(sweepfp.go:\d+\) holds across \(\*slot\).wait \(sweepfp.go:\d+\) → \(\*sync.Cond\).Wait`
	p.a.Lock()
	p.a.Unlock()
}
