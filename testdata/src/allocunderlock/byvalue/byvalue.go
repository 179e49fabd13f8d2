// Package byvalue has a per-object lock that a finalizer takes only on the
// object it finalizes (silent), and a shared registry lock reached through
// a pointer field (reported).
package byvalue

import (
	"runtime"
	"sync"
)

type Registry struct {
	mu   sync.Mutex
	live map[int]bool
}

type Res struct {
	mu  sync.Mutex
	buf []byte
	id  int
	reg *Registry
}

// Write allocates under r.mu; the finalizer locks r.mu only on the object
// being finalized, which nobody else can hold.
func (r *Res) Write(p []byte) {
	r.mu.Lock()
	r.buf = append(r.buf, p...)
	r.mu.Unlock()
}

func (g *Registry) Add(id int) {
	g.mu.Lock()
	g.live[id] = true // want `map insertion while holding Registry.mu`
	g.mu.Unlock()
}

func (r *Res) finalize() {
	r.mu.Lock()
	r.buf = nil
	r.mu.Unlock()
	r.reg.mu.Lock()
	delete(r.reg.live, r.id)
	r.reg.mu.Unlock()
}

func New(g *Registry, id int) *Res {
	r := &Res{id: id, reg: g}
	runtime.SetFinalizer(r, (*Res).finalize)
	return r
}
