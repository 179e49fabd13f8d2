// Package condjoin holds a Cond.Wait that joins a goroutine which may
// wait forever, called with the Cond's lock held (pebble's
// compactMarkedFilesLocked under d.mu): the Cond.Wait releases the lock
// while the goroutine runs, so the caller holding it is no evidence
// against a finalizer that takes it. The twin holds a second lock across
// the call, which nothing releases.
package condjoin

import (
	"runtime"
	"sync"
)

// DB runs compactions and waits for them under mu.
type DB struct {
	mu         sync.Mutex
	meta       sync.Mutex
	cond       sync.Cond
	compacting int
	input      chan int
}

// Open sets the Cond's lock.
func Open() *DB {
	d := &DB{input: make(chan int)}
	d.cond.L = &d.mu
	return d
}

// waitCompaction starts a compaction and waits for it; d.mu is held.
func (d *DB) waitCompaction() {
	d.compacting++
	go d.compact()
	for d.compacting > 0 {
		d.cond.Wait()
	}
}

func (d *DB) compact() {
	<-d.input // whoever sends it is no goroutine of this code
	d.mu.Lock()
	d.compacting--
	d.cond.Broadcast()
	d.mu.Unlock()
}

// Ratchet waits for a compaction with d.mu held, which the wait releases.
func (d *DB) Ratchet() {
	d.mu.Lock()
	d.waitCompaction()
	d.mu.Unlock()
}

// Migrate holds d.meta as well, which nothing releases.
func (d *DB) Migrate() {
	d.meta.Lock()
	d.mu.Lock()
	d.waitCompaction()
	d.mu.Unlock()
	d.meta.Unlock()
}

// Handle owns a DB.
type Handle struct{ d *DB }

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) {
		h.d.mu.Lock()
		h.d.mu.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer finalize.func2 takes DB.meta, which \(\*DB\).Migrate \(condjoin.go:\d+\) holds across \(\*DB\).waitCompaction \(condjoin.go:\d+\) → \(\*sync.Cond\).Wait, waiting for go \(\*DB\).compact \(condjoin.go:\d+\) → receive from DB.input`
		h.d.meta.Lock()
		h.d.meta.Unlock()
	})
}
