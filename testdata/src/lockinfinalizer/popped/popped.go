// Package popped holds requests whose done channel, with room for one
// value, is sent to as the request leaves a queue (pebble's manual
// compactions): each request gets one value, so the send never waits,
// and holding a lock across it is no evidence. The twin sends twice to
// the head of the queue without removing it: the second send waits for
// a receiver.
package popped

import (
	"runtime"
	"sync"
)

type request struct{ done chan error }

// Queue serves requests in order.
type Queue struct {
	mu   sync.Mutex
	reqs []*request
}

// Do queues a request, serves the queue and waits for the answer.
func (q *Queue) Do() error {
	r := &request{done: make(chan error, 1)}
	q.mu.Lock()
	q.reqs = append(q.reqs, r)
	q.serve()
	q.mu.Unlock()
	return <-r.done
}

func (q *Queue) serve() {
	for len(q.reqs) > 0 {
		r := q.reqs[0]
		q.reqs = q.reqs[1:]
		r.done <- nil
	}
}

type stuckRequest struct{ done chan error }

// Stuck answers the head of its queue twice.
type Stuck struct {
	mu   sync.Mutex
	reqs []*stuckRequest
}

// Do queues a request, serves the queue and waits for the answer.
func (q *Stuck) Do() error {
	r := &stuckRequest{done: make(chan error, 1)}
	q.mu.Lock()
	q.reqs = append(q.reqs, r)
	q.serve()
	q.mu.Unlock()
	return <-r.done
}

func (q *Stuck) serve() {
	for i := 0; i < 2 && len(q.reqs) > 0; i++ {
		r := q.reqs[0]
		r.done <- nil
	}
}

// Handle owns a queue of each kind.
type Handle struct {
	q *Queue
	s *Stuck
}

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) {
		h.q.mu.Lock()
		h.q.mu.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer finalize.func2 takes Stuck.mu, which \(\*Stuck\).Do \(popped.go:\d+\) holds across \(\*Stuck\).serve \(popped.go:\d+\) → send to stuckRequest.done`
		h.s.mu.Lock()
		h.s.mu.Unlock()
	})
}
