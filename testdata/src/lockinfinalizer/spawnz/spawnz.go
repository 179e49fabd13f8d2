// Package spawnz runs workers through spawny.Spawn, which forwards to a
// spawner of spawnx.
package spawnz

import (
	"runtime"

	"lockinfinalizer/spawny"
)

// Queue runs functions on a worker that spawny.Spawn starts.
type Queue struct {
	todo chan func()
	done chan struct{}
}

func (q *Queue) run() {
	defer close(q.done)
	for f := range q.todo {
		f()
	}
}

// NewQueue starts the worker through spawny.Spawn.
func NewQueue() *Queue {
	q := &Queue{todo: make(chan func()), done: make(chan struct{})}
	spawny.Spawn(q.run)
	return q
}

// Close stops the worker, then waits for it.
func (q *Queue) Close() {
	close(q.todo)
	<-q.done
}

// Wait waits for the worker without stopping it.
func (q *Queue) Wait() { <-q.done }

// QueueHandle owns a Queue.
type QueueHandle struct{ q *Queue }

// NewQueueHandles registers finalizers that close the queue, and that
// only wait for it.
func NewQueueHandles(q *Queue) (*QueueHandle, *QueueHandle) {
	h := &QueueHandle{q: q}
	runtime.SetFinalizer(h, func(h *QueueHandle) { h.q.Close() })
	w := &QueueHandle{q: q}
	runtime.SetFinalizer(w, func(h *QueueHandle) { h.q.Wait() }) // want `^finalizer NewQueueHandles.func2 can wait without bound; .*: finalizer NewQueueHandles.func2 → \(\*Queue\).Wait \(spawnz.go:\d+\) → receive from Queue.done, waiting for go \(\*Queue\).run \(spawnz.go:\d+\) → .*receive from Queue.todo`
	return h, w
}
