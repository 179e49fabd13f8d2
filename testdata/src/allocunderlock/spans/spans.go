// Package spans has critical sections that span functions: a lock
// helper, a deferred unlock, an unlock helper, and allocations in callees.
package spans

import (
	"runtime"
	"strconv"
	"sync"
)

type Registry struct {
	mu    sync.Mutex
	names []string
	byID  map[int]string
	log   []any
}

var reg = &Registry{byID: map[int]string{}}

// lock is a lock helper: it returns holding r.mu.
func (r *Registry) lock() { r.mu.Lock() }

func (r *Registry) unlock() { r.mu.Unlock() }

// Add allocates after a lock helper.
func (r *Registry) Add(name string) {
	r.lock()
	r.names = append(r.names, name) // want `append while holding Registry.mu`
	r.unlock()
}

// Set allocates under a deferred unlock, through a callee.
func (r *Registry) Set(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byID[id] = label(id) // want `^map insertion while holding Registry.mu \(locked at spans.go:34\) .*; 1 other allocation in this section: finalizer \(\*Handle\).finalize → Registry.mu.Lock \(spans.go:81\) \(allocunderlock/alloc\)$`
}

// Name allocates only in a callee.
func (r *Registry) Name(id int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return label(id) // want `^allocation through label \(spans.go:\d+\) → strconv.Itoa \(spans.go:\d+\) while holding Registry.mu`
}

func label(id int) string { return "id-" + strconv.Itoa(id) }

// Log boxes an int into an interface (an implicit conversion) and
// appends. The conversion has no position of its own, so the append is the
// section's first allocation.
func (r *Registry) Log(n int) {
	r.mu.Lock()
	r.log = append(r.log, n) // want `^append while holding Registry.mu \(locked at spans.go:52\) .*; 1 other allocation in this section`
	r.mu.Unlock()
}

// Box only boxes.
func (r *Registry) Box(n int) any {
	r.mu.Lock() // want `^conversion of int to interface while holding Registry.mu`
	defer r.mu.Unlock()
	var x any = n
	return x
}

// grab returns holding the lock after allocating under it.
func (r *Registry) grab() []string {
	r.mu.Lock()
	return make([]string, 0, 8) // want `make`
}

func (r *Registry) Use() {
	s := r.grab()
	s = append(s, "x") // want `append`
	r.names = s
	r.mu.Unlock()
}

type Handle struct{ id int }

func (h *Handle) finalize() {
	reg.mu.Lock()
	delete(reg.byID, h.id)
	reg.mu.Unlock()
}

func Open(id int) *Handle {
	h := &Handle{id: id}
	runtime.SetFinalizer(h, (*Handle).finalize)
	return h
}
