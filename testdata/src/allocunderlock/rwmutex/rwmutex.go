// Package rwmutex shares a sync.RWMutex with a finalizer that read-locks it.
package rwmutex

import (
	"runtime"
	"sync"
)

type Table struct {
	mu   sync.RWMutex
	rows map[int]string
}

// Lookup read-locks and allocates: the finalizer's read lock waits only
// when a writer is queued.
func (t *Table) Lookup(id int) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, 0, len(t.rows)) // want `^make\(\[\]string, 0, len\(t.rows\)\) while holding Table.mu .*and it read-locks Table.mu too, which waits as soon as a writer is queued`
	for _, r := range t.rows {
		out = append(out, r)
	}
	return out
}

// Put write-locks and allocates: the finalizer's read lock always waits.
func (t *Table) Put(id int, s string) {
	t.mu.Lock()
	t.rows[id] = s // want `^map insertion while holding Table.mu .*and it takes Table.mu;`
	t.mu.Unlock()
}

type Row struct {
	t  *Table
	id int
}

func (r *Row) finalize() {
	r.t.mu.RLock()
	_ = r.t.rows[r.id]
	r.t.mu.RUnlock()
}

func (t *Table) Row(id int) *Row {
	r := &Row{t: t, id: id}
	runtime.SetFinalizer(r, (*Row).finalize)
	return r
}
