// Package spawny runs workers through spawnx: workers that spawnx.Go
// starts on a goroutine of its own (docker's containerFSView), waited for
// after they are told to stop and without, one that spawnx.Run runs on
// the caller's goroutine, one that Spawn starts through spawnx.Start,
// goroutines whose sends find room or not, and handlers started by a
// closure that counts them.
package spawny

import (
	"runtime"
	"sync"

	"lockinfinalizer/spawnx"
)

type future struct {
	fn  func() error
	res chan error
}

// View runs functions on a worker goroutine that spawnx.Go starts.
type View struct {
	todo chan future
	done chan error
}

func setup() error { return nil }

// OpenView starts the worker through spawnx.Go.
func OpenView() (*View, error) {
	todo := make(chan future)
	done := make(chan error)
	err := spawnx.Go(0, setup, func() {
		defer close(done)
		for it := range todo {
			err := it.fn()
			if it.res != nil {
				it.res <- err
			}
		}
	})
	if err != nil {
		return nil, err
	}
	vw := &View{todo: todo, done: done}
	runtime.SetFinalizer(vw, (*View).Close)
	return vw, nil
}

// RunInFS runs fn on the worker and returns its error.
func (vw *View) RunInFS(fn func() error) error {
	res := make(chan error)
	vw.todo <- future{fn: fn, res: res}
	return <-res
}

// Close stops the worker, then waits for it: it returns once todo is
// closed.
func (vw *View) Close() error {
	runtime.SetFinalizer(vw, nil)
	close(vw.todo)
	return <-vw.done
}

// Jobs runs functions on a worker goroutine that spawnx.Go starts.
type Jobs struct {
	todo chan func()
	done chan struct{}
}

// NewJobs starts the worker through spawnx.Go.
func NewJobs() (*Jobs, error) {
	j := &Jobs{todo: make(chan func()), done: make(chan struct{})}
	err := spawnx.Go(0, setup, func() {
		defer close(j.done)
		for f := range j.todo {
			f()
		}
	})
	return j, err
}

// Close stops the worker, then waits for it.
func (j *Jobs) Close() {
	close(j.todo)
	<-j.done
}

// Wait waits for the worker without stopping it: its range over todo
// never ends.
func (j *Jobs) Wait() { <-j.done }

// JobsHandle owns a Jobs.
type JobsHandle struct{ j *Jobs }

// NewJobsHandles registers finalizers that close the jobs, and that only
// wait for them.
func NewJobsHandles(j *Jobs) (*JobsHandle, *JobsHandle) {
	h := &JobsHandle{j: j}
	runtime.SetFinalizer(h, func(h *JobsHandle) { h.j.Close() })
	w := &JobsHandle{j: j}
	runtime.SetFinalizer(w, func(h *JobsHandle) { h.j.Wait() }) // want `^finalizer NewJobsHandles.func2 can wait without bound; .*: finalizer NewJobsHandles.func2 → \(\*Jobs\).Wait \(spawny.go:\d+\) → receive from Jobs.done, waiting for go NewJobs.func1 \(spawny.go:\d+\) → receive from Jobs.todo`
	return h, w
}

// SyncView is View whose worker spawnx.Run runs on the caller's
// goroutine: no goroutine of this code closes done for Close.
type SyncView struct {
	todo chan future
	done chan error
}

// OpenSyncView runs the worker through spawnx.Run.
func OpenSyncView() (*SyncView, error) {
	todo := make(chan future)
	done := make(chan error)
	err := spawnx.Run(setup, func() {
		defer close(done)
		for it := range todo {
			_ = it.fn()
		}
	})
	if err != nil {
		return nil, err
	}
	vw := &SyncView{todo: todo, done: done}
	runtime.SetFinalizer(vw, (*SyncView).Close) // want `^finalizer \(\*SyncView\).Close can wait without bound; .*: finalizer \(\*SyncView\).Close → receive from SyncView.done`
	return vw, nil
}

// Close stops the worker, then waits for done.
func (vw *SyncView) Close() error {
	runtime.SetFinalizer(vw, nil)
	close(vw.todo)
	return <-vw.done
}

// Spawn runs fn on a new goroutine, through spawnx.Start.
func Spawn(fn func()) { _ = spawnx.Start(fn) }

// Pool runs functions on a worker that Spawn starts.
type Pool struct {
	todo chan future
	done chan error
}

// NewPool starts the worker through Spawn.
func NewPool() *Pool {
	p := &Pool{todo: make(chan future), done: make(chan error)}
	Spawn(p.run)
	runtime.SetFinalizer(p, (*Pool).Close)
	return p
}

func (p *Pool) run() {
	defer close(p.done)
	for it := range p.todo {
		_ = it.fn()
	}
}

// Close stops the worker, then waits for it.
func (p *Pool) Close() error {
	close(p.todo)
	return <-p.done
}

func compute() int { return 42 }

// Result computes a value on a goroutine that spawnx.Start starts and
// hands it over on a channel with room for it.
type Result struct{ done chan struct{} }

// NewResult starts the goroutine.
func NewResult() (*Result, chan int) {
	r := &Result{done: make(chan struct{})}
	out := make(chan int, 1)
	_ = spawnx.Start(func() {
		defer close(r.done)
		out <- compute()
	})
	return r, out
}

// Wait waits for the goroutine: its one send finds room.
func (r *Result) Wait() { <-r.done }

// Stream is Result whose goroutine sends n values on the channel with
// room for one.
type Stream struct {
	done chan struct{}
	n    int
}

// NewStream starts the goroutine.
func NewStream(n int) (*Stream, chan int) {
	s := &Stream{done: make(chan struct{}), n: n}
	out := make(chan int, 1)
	_ = spawnx.Start(func() {
		defer close(s.done)
		for i := 0; i < s.n; i++ {
			out <- i
		}
	})
	return s, out
}

// Wait waits for the goroutine, whose second send may wait forever.
func (s *Stream) Wait() { <-s.done }

// ResultHandle owns a Result and a Stream.
type ResultHandle struct {
	r *Result
	s *Stream
}

// NewResultHandles registers finalizers that wait for the Result, and
// for the Stream.
func NewResultHandles() (*ResultHandle, *ResultHandle) {
	r, _ := NewResult()
	s, _ := NewStream(2)
	h := &ResultHandle{r: r, s: s}
	runtime.SetFinalizer(h, func(h *ResultHandle) { h.r.Wait() })
	m := &ResultHandle{r: r, s: s}
	runtime.SetFinalizer(m, func(h *ResultHandle) { h.s.Wait() }) // want `^finalizer NewResultHandles.func2 can wait without bound; .*: finalizer NewResultHandles.func2 → \(\*Stream\).Wait \(spawny.go:\d+\) → receive from Stream.done, waiting for go NewStream.func1 \(spawny.go:\d+\) → send to chan made at spawny.go:\d+`
	return h, m
}

// Acceptor starts each handler on a goroutine of a closure that counts
// it in wg (nats-server's acceptConnections): that closure, not the
// handler, is the goroutine that marks wg done.
type Acceptor struct {
	wg sync.WaitGroup
	mu sync.Mutex
	n  int
}

func (a *Acceptor) accept(handle func(int)) {
	a.wg.Add(1)
	_ = spawnx.Start(func() {
		defer a.wg.Done()
		a.mu.Lock()
		handle(a.n)
		a.mu.Unlock()
	})
}

func (a *Acceptor) serve(n int) { _ = n }

// Start starts a handler.
func (a *Acceptor) Start() { a.accept(a.serve) }

// Wait waits for the handlers.
func (a *Acceptor) Wait() { a.wg.Wait() }

// AcceptorHandle owns an Acceptor.
type AcceptorHandle struct{ a *Acceptor }

// NewAcceptorHandle registers a finalizer that waits for the handlers.
func NewAcceptorHandle(a *Acceptor) *AcceptorHandle {
	h := &AcceptorHandle{a: a}
	runtime.SetFinalizer(h, func(h *AcceptorHandle) { h.a.Wait() })
	return h
}
