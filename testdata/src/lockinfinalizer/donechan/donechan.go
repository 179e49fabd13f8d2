// Package donechan holds one-slot channels whose sends never wait because
// each channel receives one value in its life (go-redis's cscMissReq.done),
// next to the shapes whose sends can wait.
package donechan

import (
	"errors"
	"runtime"
	"sync"
	"time"
)

// req is a request; its requester waits on done for the one answer.
type req struct{ done chan error }

// coalescer queues requests and answers them.
type coalescer struct{ q []*req }

// fetch makes a request with room for its answer and waits for it.
func (c *coalescer) fetch() error {
	r := &req{done: make(chan error, 1)}
	c.q = append(c.q, r)
	return <-r.done
}

// settle answers a request: the one send on req.done.
func (c *coalescer) settle(r *req, err error) { r.done <- err }

// drain answers every queued request.
func (c *coalescer) drain() {
	for _, r := range c.q {
		c.settle(r, errors.New("stopped"))
	}
	c.q = nil
}

// Client drains its coalescer in a cleanup: silent, the answers have room.
type Client struct{ c *coalescer }

func New() *Client {
	cl := &Client{c: &coalescer{}}
	runtime.AddCleanup(cl, func(c *coalescer) { c.drain() }, cl.c)
	return cl
}

// job's channel has no buffer: the answer waits for the requester.
type job struct{ done chan error }

type runner struct{ q []*job }

func (r *runner) run() error {
	j := &job{done: make(chan error)}
	r.q = append(r.q, j)
	return <-j.done
}

func (r *runner) drain() {
	for _, j := range r.q {
		j.done <- errors.New("stopped")
	}
}

type Runner struct{ r *runner }

func NewRunner() *Runner {
	rn := &Runner{r: &runner{}}
	runtime.AddCleanup(rn, func(r *runner) { r.drain() }, rn.r) // want `cleanup NewRunner.func1 can wait without bound`
	return rn
}

// task's channel is answered at two places, so one task may get two
// answers and the second waits.
type task struct{ done chan error }

type pool struct{ q []*task }

func (p *pool) submit() error {
	t := &task{done: make(chan error, 1)}
	p.q = append(p.q, t)
	return <-t.done
}

func (p *pool) fail(t *task)   { t.done <- errors.New("failed") }
func (p *pool) cancel(t *task) { t.done <- errors.New("canceled") }

func (p *pool) drain() {
	for _, t := range p.q {
		p.fail(t)
		p.cancel(t)
	}
}

type Pool struct{ p *pool }

func NewPool() *Pool {
	pl := &Pool{p: &pool{}}
	runtime.AddCleanup(pl, func(p *pool) { p.drain() }, pl.p) // want `cleanup NewPool.func1 can wait without bound`
	return pl
}

// DB's writeLock is a token taken by a send and given back by a receive
// (goleveldb's writeLockC).
type DB struct {
	writeLock chan struct{}
	tr        *Tx
	n         int
}

// Tx holds the write token from OpenTx to Commit or Discard.
type Tx struct {
	lk sync.Mutex
	db *DB
}

func Open() *DB {
	db := &DB{writeLock: make(chan struct{}, 1)}
	runtime.SetFinalizer(db, (*DB).Close) // silent: Discard's receive gives the token back
	return db
}

func (db *DB) OpenTx() *Tx {
	db.writeLock <- struct{}{}
	tr := &Tx{db: db}
	db.tr = tr
	return tr
}

// Write takes the token and gives it back.
func (db *DB) Write() {
	db.writeLock <- struct{}{}
	db.n++
	<-db.writeLock
}

func (tr *Tx) Discard() {
	tr.lk.Lock()
	defer tr.lk.Unlock()
	<-tr.db.writeLock
}

func (db *DB) Close() {
	if db.tr != nil {
		db.tr.Discard()
	}
	db.writeLock <- struct{}{}
	db.n = 0
	<-db.writeLock
}

// Log holds its send-taken token across a wait for a flush request that
// nobody is bound to send.
type Log struct {
	lk  chan struct{}
	req chan int
}

func NewLog() *Log {
	l := &Log{lk: make(chan struct{}, 1)}
	runtime.SetFinalizer(l, func(l *Log) { // want `finalizer NewLog.func1 takes the token of Log.lk, which \(\*Log\).Flush \(donechan.go:\d+\) holds across receive from Log.req`
		l.lk <- struct{}{}
		<-l.lk
	})
	return l
}

func (l *Log) Flush() {
	l.lk <- struct{}{}
	<-l.req
	<-l.lk
}

// Nap holds its send-taken token only across a sleep: silent.
type Nap struct{ lk chan struct{} }

func NewNap() *Nap {
	n := &Nap{lk: make(chan struct{}, 1)}
	runtime.SetFinalizer(n, func(n *Nap) {
		n.lk <- struct{}{}
		<-n.lk
	})
	return n
}

func (n *Nap) Flush() {
	n.lk <- struct{}{}
	time.Sleep(time.Second)
	<-n.lk
}

// Job's receive waits for a worker that Start starts, which sends on every
// path: it ends. Silent.
type Job struct{ done chan struct{} }

func (j *Job) Start() {
	j.done = make(chan struct{}, 1)
	go func() { j.done <- struct{}{} }()
}

func NewJob() *Job {
	j := &Job{}
	j.Start()
	runtime.SetFinalizer(j, func(j *Job) { <-j.done })
	return j
}

// Task's worker returns without sending when its work fails: the receive
// may wait for ever.
type Task struct{ done chan struct{} }

func (t *Task) Start(fail bool) {
	t.done = make(chan struct{}, 1)
	go func() {
		if fail {
			return
		}
		t.done <- struct{}{}
	}()
}

func NewTask() *Task {
	t := &Task{}
	t.Start(false)
	runtime.SetFinalizer(t, func(t *Task) { <-t.done }) // want `finalizer NewTask.func1 can wait without bound`
	return t
}

// BufferPool signals its drain goroutine once, under a flag that is never
// cleared (goleveldb's BufferPool.closeC).
type BufferPool struct {
	mu     sync.Mutex
	closed bool
	closeC chan struct{}
}

func NewBufferPool() *BufferPool {
	p := &BufferPool{closeC: make(chan struct{}, 1)}
	go p.drain()
	runtime.SetFinalizer(p, (*BufferPool).Close) // silent: the one send has room
	return p
}

func (p *BufferPool) drain() {
	<-p.closeC
	close(p.closeC)
}

func (p *BufferPool) Close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		p.closeC <- struct{}{}
	}
	p.mu.Unlock()
}

// Ticker's flag is cleared again, so its stop signal can be sent twice;
// but the buffer is full only while run has not taken the last signal,
// and run takes it before it needs the lock: the send waits for run's
// receive alone, which never waits. Silent.
type Ticker struct {
	mu      sync.Mutex
	stopped bool
	stopC   chan struct{}
}

func NewTicker() *Ticker {
	t := &Ticker{stopC: make(chan struct{}, 1)}
	go t.run()
	runtime.SetFinalizer(t, (*Ticker).Stop)
	return t
}

func (t *Ticker) run() {
	for range t.stopC {
		t.mu.Lock()
		t.stopped = false
		t.mu.Unlock()
	}
}

func (t *Ticker) Stop() {
	t.mu.Lock()
	if !t.stopped {
		t.stopped = true
		t.stopC <- struct{}{}
	}
	t.mu.Unlock()
}
