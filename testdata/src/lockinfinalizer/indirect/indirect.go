// Package indirect installs its roots through func-typed fields and
// variables that hold signal.Notify, signal.NotifyContext,
// runtime.SetFinalizer and runtime.AddCleanup.
package indirect

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
)

// Runner keeps signal.Notify in a field, for tests to replace; its
// constructor sets it, Start calls it and starts the loop that handles
// the signals.
type Runner struct {
	mu     sync.Mutex
	notify func(chan<- os.Signal, ...os.Signal)
	sigs   chan os.Signal
	done   chan struct{}
	n      int
}

func NewRunner() *Runner {
	r := &Runner{sigs: make(chan os.Signal, 1), done: make(chan struct{})}
	r.notify = signal.Notify
	return r
}

func (r *Runner) Start() {
	r.notify(r.sigs, syscall.SIGTERM)
	go r.loop()
}

func (r *Runner) loop() {
	defer close(r.done)
	for range r.sigs { // want `signal handler \(\*Runner\).loop takes Runner.mu, which \(\*Runner\).Stop \(indirect.go:\d+\) holds across receive from Runner.done`
		r.reload()
	}
}

func (r *Runner) reload() {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
}

// Stop holds r.mu while it waits for the loop, which needs r.mu.
func (r *Runner) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	signal.Stop(r.sigs)
	close(r.sigs)
	<-r.done
}

// RunnerOK is the fix: Stop drops the lock before it waits.
type RunnerOK struct {
	mu     sync.Mutex
	notify func(chan<- os.Signal, ...os.Signal)
	sigs   chan os.Signal
	done   chan struct{}
	n      int
}

func NewRunnerOK() *RunnerOK {
	return &RunnerOK{notify: signal.Notify, sigs: make(chan os.Signal, 1), done: make(chan struct{})}
}

func (r *RunnerOK) Start() {
	r.notify(r.sigs, syscall.SIGTERM)
	go r.loop()
}

func (r *RunnerOK) loop() {
	defer close(r.done)
	for range r.sigs {
		r.reload()
	}
}

func (r *RunnerOK) reload() {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
}

func (r *RunnerOK) Stop() {
	r.mu.Lock()
	r.n = 0
	r.mu.Unlock()
	signal.Stop(r.sigs)
	close(r.sigs)
	<-r.done
}

// Fake has the same field, assigned a function that is not
// signal.Notify: its loop handles no signal.
type Fake struct {
	mu     sync.Mutex
	notify func(chan<- os.Signal, ...os.Signal)
	sigs   chan os.Signal
	done   chan struct{}
	n      int
}

func fakeNotify(chan<- os.Signal, ...os.Signal) {}

func NewFake() *Fake {
	return &Fake{notify: fakeNotify, sigs: make(chan os.Signal, 1), done: make(chan struct{})}
}

func (f *Fake) Start() {
	f.notify(f.sigs, syscall.SIGTERM)
	go f.loop()
}

func (f *Fake) loop() {
	defer close(f.done)
	for range f.sigs {
		f.mu.Lock()
		f.n++
		f.mu.Unlock()
	}
}

func (f *Fake) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.sigs)
	<-f.done
}

// Quiet installs the handler through the field but never receives from
// the channel: no handler.
type Quiet struct {
	mu     sync.Mutex
	notify func(chan<- os.Signal, ...os.Signal)
	sigs   chan os.Signal
	done   chan struct{}
}

func NewQuiet() *Quiet {
	return &Quiet{notify: signal.Notify, sigs: make(chan os.Signal, 1), done: make(chan struct{})}
}

func (q *Quiet) Start() {
	q.notify(q.sigs, syscall.SIGTERM)
	go q.loop()
}

func (q *Quiet) loop() {
	q.mu.Lock()
	q.mu.Unlock()
	close(q.done)
}

func (q *Quiet) Stop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	<-q.done
}

// A package-level variable holding signal.Notify.
var notify = signal.Notify

var (
	gmu   sync.Mutex
	gdone = make(chan struct{})
)

func holdGlobal() {
	gmu.Lock()
	<-gdone
	gmu.Unlock()
}

func viaGlobal() {
	ch := make(chan os.Signal, 1)
	notify(ch, syscall.SIGINT)
	<-ch // want `signal handler viaGlobal takes indirect.gmu, which holdGlobal \(indirect.go:\d+\) holds across receive from indirect.gdone`
	gmu.Lock()
	gmu.Unlock()
}

// A package-level variable holding another function: no handler.
var notifyFake = fakeNotify

func viaGlobalFake() {
	ch := make(chan os.Signal, 1)
	notifyFake(ch, syscall.SIGINT)
	<-ch
	gmu.Lock()
	gmu.Unlock()
}

// A local variable that holds signal.Notify on one path.
func viaLocal(real bool) {
	n := fakeNotify
	if real {
		n = signal.Notify
	}
	ch := make(chan os.Signal, 1)
	n(ch, syscall.SIGINT)
	<-ch // want `signal handler viaLocal takes indirect.gmu`
	gmu.Lock()
	gmu.Unlock()
}

func viaLocalFake(real bool) {
	n := fakeNotify
	if real {
		n = func(chan<- os.Signal, ...os.Signal) {}
	}
	ch := make(chan os.Signal, 1)
	n(ch, syscall.SIGINT)
	<-ch
	gmu.Lock()
	gmu.Unlock()
}

// A helper that installs the handler with the function its caller
// passes.
func install(n func(chan<- os.Signal, ...os.Signal), ch chan os.Signal) { n(ch, syscall.SIGHUP) }

func viaParam() {
	ch := make(chan os.Signal, 1)
	install(signal.Notify, ch)
	<-ch // want `signal handler viaParam takes indirect.gmu`
	gmu.Lock()
	gmu.Unlock()
}

func installFake(n func(chan<- os.Signal, ...os.Signal), ch chan os.Signal) { n(ch, syscall.SIGHUP) }

func viaParamFake() {
	ch := make(chan os.Signal, 1)
	installFake(fakeNotify, ch)
	<-ch
	gmu.Lock()
	gmu.Unlock()
}

// signal.NotifyContext in a field.
type Ctx struct {
	notifyContext func(context.Context, ...os.Signal) (context.Context, context.CancelFunc)
}

func NewCtx() *Ctx { return &Ctx{notifyContext: signal.NotifyContext} }

func (c *Ctx) Run() {
	ctx, stop := c.notifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done() // want `signal handler \(\*Ctx\).Run takes indirect.gmu`
	gmu.Lock()
	gmu.Unlock()
}

// Env keeps the runtime's registration functions in fields set by its
// constructor; Track calls them.
type Env struct {
	setFinalizer func(any, any)
	addCleanup   func(*Obj, func(int), int) runtime.Cleanup
}

type Obj struct{ id int }

func NewEnv() *Env {
	return &Env{setFinalizer: runtime.SetFinalizer, addCleanup: runtime.AddCleanup[Obj, int]}
}

func finalize(o *Obj) {
	gmu.Lock()
	gmu.Unlock()
}

func release(int) {
	gmu.Lock()
	gmu.Unlock()
}

func (e *Env) Track(o *Obj) {
	e.setFinalizer(o, finalize) // want `finalizer finalize takes indirect.gmu`
	e.addCleanup(o, release, 1) // want `cleanup release takes indirect.gmu`
}
