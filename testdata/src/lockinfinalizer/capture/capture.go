// Package capture holds finalizers whose receiver a closure captures (as
// cgo does for C.f(r.x)): the receiver's own by-value mutex stays exempt.
package capture

import (
	"runtime"
	"sync"
)

// Filter is finalized; its lock is stored by value.
type Filter struct {
	lock sync.Mutex
	ok   bool
	pool *Pool
}

// Pool is shared between filters.
type Pool struct{ mu sync.Mutex }

// New registers the finalizer.
func New(p *Pool) *Filter {
	f := &Filter{pool: p}
	runtime.SetFinalizer(f, (*Filter).Release) // want `finalizer \(\*Filter\)\.Release takes Pool\.mu; under finalizers=inline`
	return f
}

// Release takes the filter's own lock (exempt: nobody else can hold it),
// then the shared pool's lock (not exempt).
func (f *Filter) Release() {
	f.lock.Lock()
	defer f.lock.Unlock()
	func() { f.ok = false }()
	f.pool.mu.Lock()
	f.pool.mu.Unlock()
}
