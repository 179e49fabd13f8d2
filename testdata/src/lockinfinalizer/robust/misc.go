package robust

import (
	"runtime"
	"sync"
)

// Unreachable code after a panic is not analysed.

type Obj struct {
	ch chan int
	mu *sync.Mutex
	p  *Pool
}

func unreachable() {
	runtime.SetFinalizer(&Obj{}, func(o *Obj) {
		panic("finalized")
		o.ch <- 1
	})
	runtime.SetFinalizer(&Obj{}, func(o *Obj) { // want `finalizer unreachable.func2 can wait without bound.*send to Obj.ch`
		o.ch <- 1
		panic("finalized")
	})
	runtime.SetFinalizer(&Obj{}, mustNotRun)
}

func mustNotRun(o *Obj) {
	if o != nil {
		panic("finalized")
	}
	for {
	}
}

// Method values and method expressions of interfaces.

type Pool struct {
	mu   sync.Mutex
	free chan int
	n    int
}

func (p *Pool) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return <-p.free
}

type Releaser interface{ Release(id int) }

type poolReleaser struct{ p *Pool }

func (r *poolReleaser) Release(id int) {
	r.p.mu.Lock()
	r.p.n -= id
	r.p.mu.Unlock()
}

type nopReleaser struct{ n int }

func (r *nopReleaser) Release(id int) { r.n -= id }

func interfaceMethods(p *Pool, unknown Releaser) {
	var r Releaser = &poolReleaser{p: p}
	runtime.AddCleanup(&Obj{}, r.Release, 1) // want `cleanup \(Releaser\).Release takes Pool.mu`
	f := r.Release
	runtime.SetFinalizer(&Obj{}, func(o *Obj) { f(1) }) // want `finalizer interfaceMethods.func1 takes Pool.mu`
	var ok Releaser = &nopReleaser{}
	runtime.AddCleanup(&Obj{}, ok.Release, 1)
	g := ok.Release
	runtime.SetFinalizer(&Obj{}, func(o *Obj) { g(1) })
	// Nothing is known of unknown's dynamic type: the call is not
	// followed.
	runtime.AddCleanup(&Obj{}, unknown.Release, 1)
	_ = p.get()
}

// Goroutines started by a finalizer are not the finalizer.

func (p *Pool) put() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

func goroutines() {
	runtime.SetFinalizer(&Obj{}, func(o *Obj) {
		go o.p.put()
		go func() {
			o.p.mu.Lock()
			o.ch <- o.p.n
			o.p.mu.Unlock()
		}()
	})
	runtime.SetFinalizer(&Obj{}, func(o *Obj) { // want `finalizer goroutines.func2 takes Pool.mu`
		go o.p.put()
		o.p.put()
	})
}
