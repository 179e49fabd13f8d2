// Package progress holds the waits of finalock's progress model, each a
// hazard next to its silent twin: what ends a wait decides whether it can
// last forever.
package progress

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// Obj is an object with a finalizer.
type Obj struct {
	ch    chan int
	timer *time.Timer
	tick  *time.Ticker
}

// Time ends these waits: never a wait.
func timers() {
	runtime.SetFinalizer(&Obj{}, func(o *Obj) { time.Sleep(time.Second) })
	runtime.SetFinalizer(&Obj{}, func(o *Obj) {
		select {
		case <-o.ch:
		case <-time.After(time.Second):
		}
	})
	runtime.SetFinalizer(&Obj{}, func(o *Obj) {
		select {
		case <-o.ch:
		case <-o.timer.C:
		}
	})
	runtime.SetFinalizer(&Obj{}, func(o *Obj) { <-o.tick.C })
	runtime.SetFinalizer(&Obj{}, func(o *Obj) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		select {
		case <-o.ch:
		case <-ctx.Done():
		}
	})
	// Nothing ends this one.
	runtime.SetFinalizer(&Obj{}, func(o *Obj) { // want `finalizer timers.func6 can wait without bound.*receive from Obj.ch in select`
		select {
		case <-o.ch:
		case <-context.Background().Done():
		}
	})
}

// dios is a counting semaphore filled with n tokens where it is made: a
// section takes a token and gives it back (nats-server's disk I/O
// limiter). Giving a token back never waits; taking one is a lock, held
// here only across a bounded sleep.
var dios chan struct{}

func init() {
	n := runtime.GOMAXPROCS(0)
	dios = make(chan struct{}, n)
	for i := 0; i < n; i++ {
		dios <- struct{}{}
	}
}

func writeFile() {
	<-dios
	time.Sleep(time.Millisecond)
	dios <- struct{}{}
}

var statsMu sync.Mutex

// flushStats holds statsMu across a section of the semaphore.
func flushStats() {
	statsMu.Lock()
	writeFile()
	statsMu.Unlock()
}

// trap takes statsMu from a signal handler: silent, the semaphore's
// sections never wait for ever.
func trap() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c
	statsMu.Lock()
	statsMu.Unlock()
	os.Exit(0)
}

// Pool hands its connections out: a checkout takes one and the caller
// gives it back when it likes. A receive from free waits for a caller to
// give one back, which nothing guarantees: unlike a semaphore, it is a
// wait that can last forever.
type Pool struct {
	mu   sync.Mutex
	free chan int
	n    int
}

func NewPool(n int) *Pool {
	p := &Pool{free: make(chan int, n)}
	for i := 0; i < n; i++ {
		p.free <- i
	}
	return p
}

func (p *Pool) Checkout() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return <-p.free
}

func (p *Pool) Return(c int) { p.free <- c }

type Cursor struct{ p *Pool }

func (p *Pool) Cursor() *Cursor {
	c := &Cursor{p: p}
	runtime.SetFinalizer(c, func(c *Cursor) { // want `finalizer \(\*Pool\).Cursor.func1 takes Pool.mu, which \(\*Pool\).Checkout \(progress.go:\d+\) holds across receive from Pool.free`
		c.p.mu.Lock()
		c.p.n--
		c.p.mu.Unlock()
	})
	return c
}

// mainLoop runs functions on the main goroutine: main calls Main, no
// goroutine of this package runs the loop. A call may wait for ever: the
// loop may not have started, or may have stopped.
var (
	funcs = make(chan func())
	done  = make(chan struct{})
)

// Main runs f on its own goroutine and serves calls on this one.
func Main(f func()) {
	go f()
	for fn := range funcs {
		fn()
		done <- struct{}{}
	}
}

// Call runs fn on the main goroutine and waits for it.
func Call(fn func()) {
	funcs <- fn
	<-done
}

type Window struct{ id int }

func NewWindow() *Window {
	w := &Window{}
	runtime.SetFinalizer(w, func(w *Window) { // want `finalizer NewWindow.func1 can wait without bound.*→ Call \(progress.go:\d+\) → send to progress.funcs`
		Call(func() { w.id = 0 })
	})
	return w
}

// Loop is a service loop that a goroutine of its own type runs for the
// life of the loop, and whose work never waits: a request to it is
// answered.
type Loop struct {
	reqs  chan func()
	reply chan struct{}
}

func NewLoop() *Loop {
	l := &Loop{reqs: make(chan func()), reply: make(chan struct{})}
	go l.run()
	return l
}

func (l *Loop) run() {
	for fn := range l.reqs {
		fn()
		l.reply <- struct{}{}
	}
}

func (l *Loop) Do(fn func()) {
	l.reqs <- fn
	<-l.reply
}

type Handle struct{ l *Loop }

func NewHandle(l *Loop) *Handle {
	h := &Handle{l: l}
	runtime.SetFinalizer(h, func(h *Handle) { h.l.Do(func() {}) })
	return h
}

// Conn sends a request over the network and reads the answer: the
// PyMongo cursor finalizer in Go. Without a deadline the peer may never
// answer.
type Conn struct {
	nc net.Conn
	id int
}

func (c *Conn) killCursor() {
	c.nc.Write([]byte{byte(c.id)})
	var b [1]byte
	c.nc.Read(b[:])
}

func (c *Conn) killCursorDeadline() {
	c.nc.SetDeadline(time.Now().Add(time.Second))
	c.nc.Write([]byte{byte(c.id)})
	var b [1]byte
	c.nc.Read(b[:])
}

type Cursor2 struct{ c *Conn }

func netIO() {
	runtime.SetFinalizer(&Cursor2{}, func(cur *Cursor2) { cur.c.killCursor() }) // want `finalizer netIO.func1 can wait without bound.*\(\*Conn\).killCursor \(progress.go:\d+\) → \(net.Conn\).(Write|Read)`
	runtime.SetFinalizer(&Cursor2{}, func(cur *Cursor2) { cur.c.killCursorDeadline() })
}

// An http.Client without a Timeout can wait for ever; one with a Timeout
// cannot.
var (
	plain = &http.Client{}
	timed = &http.Client{Timeout: time.Second}
)

type Session struct{ url string }

func httpIO() {
	runtime.SetFinalizer(&Session{}, func(s *Session) { plain.Get(s.url) }) // want `finalizer httpIO.func1 can wait without bound.*\(\*http.Client\).Get`
	runtime.SetFinalizer(&Session{}, func(s *Session) { timed.Get(s.url) })
}

// A send on a channel that may be nil waits for ever on that path.
type Notifier struct {
	enabled bool
	n       int
}

func (n *Notifier) notify() {
	var ch chan int
	if n.enabled {
		ch = make(chan int, 1)
	}
	ch <- n.n
}

func (n *Notifier) notifyOK() {
	ch := make(chan int, 1)
	ch <- n.n
}

func nilChannels() {
	runtime.SetFinalizer(&Notifier{}, (*Notifier).notify) // want `finalizer \(\*Notifier\).notify can wait without bound.*send to channel \(progress.go:\d+\)`
	runtime.SetFinalizer(&Notifier{}, (*Notifier).notifyOK)
}

// A deadline passed down: every caller of shutdown gives it a context
// with a timeout, so its Shutdown and its receive from Done end.
func shutdown(ctx context.Context, srv *http.Server, o *Obj) {
	srv.Shutdown(ctx)
	select {
	case <-o.ch:
	case <-ctx.Done():
	}
}

func trapDeadline(srv *http.Server) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGQUIT)
	go func() {
		<-c
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		shutdown(ctx, srv, &Obj{})
	}()
}

// drain is called with a context without a deadline: its Shutdown waits
// for every connection to go idle, which can take forever.
func drain(ctx context.Context, srv *http.Server) { srv.Shutdown(ctx) }

func trapDrain(srv *http.Server) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTSTP)
	go func() {
		<-c // want `^signal handler trapDrain.func1 can wait without bound.*→ drain \(progress.go:\d+\) → \(\*http.Server\).Shutdown`
		drain(context.Background(), srv)
	}()
}
