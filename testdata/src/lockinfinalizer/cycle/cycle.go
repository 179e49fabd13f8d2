// Package cycle has roots that take a lock whose holder waits for the root
// itself: a deadlock, reported as cycle. A cycle needs proof that nothing
// else can end the holder's wait: the root is the only code that performs
// the operation the holder waits for, or the holder waits for the root's
// own goroutine. Twins take a lock whose holder waits for someone else
// (lock), or complete the wait without the lock (silent).
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
	n    int
}

func (c *Conn) awaitClose() {
	c.mu.Lock()
	<-c.done
	c.mu.Unlock()
}

func (c *Conn) release() {
	c.mu.Lock()
	c.n--
	c.mu.Unlock()
	close(c.done)
}

type Handle struct{ c *Conn }

// The finalizer takes Conn.mu, which awaitClose holds until the finalizer
// closes done, and nothing else closes it.
func finalizer() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.c.release() }) // want `finalizer finalizer.func1 takes Conn.mu, which \(\*Conn\).awaitClose \(cycle.go:\d+\) holds across receive from Conn.done \(cycle.go:\d+\), and only this finalizer completes it \(close of Conn.done\): deadlock`
}

// Buf waits, holding mu, for data that anyone may feed: lock, not cycle.
type Buf struct {
	mu   sync.Mutex
	data chan []byte
	n    int
}

func (b *Buf) await() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return <-b.data
}

// Feed hands await its data: other packages may call it.
func (b *Buf) Feed(p []byte) { b.data <- p }

type BufHandle struct{ b *Buf }

func finalizerLock() {
	runtime.SetFinalizer(&BufHandle{}, func(h *BufHandle) { // want `finalizer finalizerLock.func1 takes Buf.mu, which \(\*Buf\).await \(cycle.go:\d+\) holds across receive from Buf.data \(cycle.go:\d+\); one goroutine`
		h.b.mu.Lock()
		h.b.n--
		h.b.mu.Unlock()
	})
}

// Flag's finalizer completes the wait without the lock: silent.
type Flag struct {
	mu   sync.Mutex
	done chan struct{}
}

func (f *Flag) await() {
	f.mu.Lock()
	<-f.done
	f.mu.Unlock()
}

type FlagHandle struct{ f *Flag }

func finalizerNoLock() {
	runtime.SetFinalizer(&FlagHandle{}, func(h *FlagHandle) { close(h.f.done) })
}

// Link's cleanup is the only code that closes done.
type Link struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (l *Link) await() {
	l.mu.Lock()
	<-l.done
	l.mu.Unlock()
}

func (l *Link) release() {
	l.mu.Lock()
	l.n--
	l.mu.Unlock()
	close(l.done)
}

type LinkHandle struct{ l *Link }

func cleanup() {
	runtime.AddCleanup(&LinkHandle{}, (*Link).release, &Link{}) // want `cleanup \(\*Link\).release takes Link.mu, which \(\*Link\).await .* and only this cleanup completes it \(close of Link.done\): deadlock`
}

// Server is stopped by Shutdown, which tells the signal handler it is done
// while it holds mu.
type Server struct {
	mu       sync.Mutex
	done     chan struct{}
	stopping bool
}

func (s *Server) Shutdown() {
	s.mu.Lock()
	s.done <- struct{}{}
	s.mu.Unlock()
}

// handle takes mu before it receives from done: Shutdown, holding mu,
// waits for this very goroutine. (It also waits for Shutdown, which
// nothing guarantees: blocking.)
func (s *Server) handle(sigs <-chan os.Signal) {
	<-sigs // want `signal handler \(\*Server\).handle can wait without bound.*receive from Server.done` `signal handler \(\*Server\).handle takes Server.mu, which \(\*Server\).Shutdown \(cycle.go:\d+\) holds across send to Server.done, waiting for go \(\*Server\).handle \(cycle.go:\d+\) → [^;]*, and only this signal handler completes it \(receive from Server.done\): deadlock`
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	<-s.done
}

func run() *Server {
	s := &Server{done: make(chan struct{})}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go s.handle(sigs)
	return s
}

// Gate is Server with a handler that receives from done before it takes
// mu: Shutdown's send completes, Shutdown releases mu, and the handler
// goes on: no lock, no cycle.
type Gate struct {
	mu       sync.Mutex
	done     chan struct{}
	stopping bool
}

func (g *Gate) Shutdown() {
	g.mu.Lock()
	g.done <- struct{}{}
	g.mu.Unlock()
}

func (g *Gate) handle(sigs <-chan os.Signal) {
	<-sigs // want `signal handler \(\*Gate\).handle can wait without bound.*receive from Gate.done`
	<-g.done
	g.mu.Lock()
	g.stopping = true
	g.mu.Unlock()
}

func runGate() *Gate {
	g := &Gate{done: make(chan struct{})}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go g.handle(sigs)
	return g
}

// Bell's Stop holds mu while it tells a worker goroutine to stop, and the
// worker takes mu before it listens: Stop deadlocks with the worker, and a
// finalizer that takes mu waits for ever behind them.
type Bell struct {
	mu   sync.Mutex
	stop chan struct{}
	n    int
}

type BellHandle struct{ b *Bell }

func NewBell() *BellHandle {
	b := &Bell{stop: make(chan struct{})}
	go b.worker()
	h := &BellHandle{b: b}
	runtime.SetFinalizer(h, func(h *BellHandle) { // want `finalizer NewBell.func1 takes Bell.mu, which \(\*Bell\).Stop \(cycle.go:\d+\) holds across send to Bell.stop, waiting for go \(\*Bell\).worker \(cycle.go:\d+\) → Bell.mu.Lock \(cycle.go:\d+\), and that goroutine needs Bell.mu first: deadlock`
		h.b.mu.Lock()
		h.b.n = 0
		h.b.mu.Unlock()
	})
	return h
}

func (b *Bell) worker() {
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
	<-b.stop
}

func (b *Bell) Stop() {
	b.mu.Lock()
	b.stop <- struct{}{}
	b.mu.Unlock()
}

// Reaper's SIGCHLD handler is itself the holder: it holds mu while it
// sends each exit event to the subscriber's channel, and the subscriber's
// goroutine takes mu before it receives the next one.
type Reaper struct {
	mu     sync.Mutex
	events chan int
	subs   int
}

func (r *Reaper) subscriber() {
	for {
		r.mu.Lock()
		r.subs++
		r.mu.Unlock()
		<-r.events
	}
}

func (r *Reaper) reap(sigs <-chan os.Signal) {
	for range sigs { // want `^signal handler \(\*Reaper\).reap takes Reaper.mu, which \(\*Reaper\).reap \(cycle.go:\d+\) holds across send to Reaper.events, waiting for go \(\*Reaper\).subscriber \(cycle.go:\d+\) → Reaper.mu.Lock \(cycle.go:\d+\), and that goroutine needs Reaper.mu first: deadlock`
		r.mu.Lock()
		r.events <- 1
		r.mu.Unlock()
	}
}

func runReaper() {
	r := &Reaper{events: make(chan int)}
	go r.subscriber()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGCHLD)
	go r.reap(sigs)
}

// Sender's handler sends with mu released: its subscriber takes mu and
// then receives.
type Sender struct {
	mu     sync.Mutex
	events chan int
	subs   int
}

func (s *Sender) subscriber() {
	for {
		s.mu.Lock()
		s.subs++
		s.mu.Unlock()
		<-s.events
	}
}

func (s *Sender) reap(sigs <-chan os.Signal) {
	for range sigs {
		s.mu.Lock()
		s.subs--
		s.mu.Unlock()
		s.events <- 1
	}
}

func runSender() {
	s := &Sender{events: make(chan int)}
	go s.subscriber()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGCHLD)
	go s.reap(sigs)
}
