// Package semy gives semx writers a counting semaphore whose units each
// commit takes before it queues a sync: the writer's receive gives a unit
// back and never waits, so Close holding a lock across the writer's
// Close is no evidence (see semz for the twin).
package semy

import (
	"runtime"
	"sync"

	"lockinfinalizer/semx"
)

// DB commits through a writer, at most four syncs at a time.
type DB struct {
	mu  sync.Mutex
	sem chan struct{}
	w   *semx.Writer
}

// Open makes the semaphore and the writer.
func Open() *DB {
	d := &DB{sem: make(chan struct{}, 4)}
	d.w = semx.New(semx.Config{Sem: d.sem})
	return d
}

// Commit takes a unit and queues a sync.
func (d *DB) Commit() {
	d.sem <- struct{}{}
	d.w.Queue(1)
}

// Close closes the writer under the lock.
func (d *DB) Close() {
	d.mu.Lock()
	d.w.Close()
	d.mu.Unlock()
}

// Handle owns a DB.
type Handle struct {
	d *DB
}

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) {
		h.d.mu.Lock()
		h.d.mu.Unlock()
	})
}
