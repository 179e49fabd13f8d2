// Package waiters holds semaphores that keep a list of waiters
// (golang.org/x/sync/semaphore's Weighted, cockroachdb/fifo's Semaphore,
// reached from pebble's block reads): Acquire publishes a channel of its
// own in the semaphore and waits on it, and Release takes it from there.
// Taking a unit is a lock, not a wait on a partner that is merely
// possible. The twins hand their channel to a loop on another goroutine
// instead, which may never answer.
package waiters

import (
	"container/list"
	"context"
	"runtime"
	"sync"
)

type waiter struct {
	n     int64
	ready chan struct{}
}

// Weighted is a weighted semaphore with a FIFO list of waiters.
type Weighted struct {
	mu      sync.Mutex
	size    int64
	cur     int64
	waiters list.List
}

// Acquire takes n units, waiting on a channel it put in the list.
func (s *Weighted) Acquire(ctx context.Context, n int64) error {
	s.mu.Lock()
	if s.cur+n <= s.size && s.waiters.Len() == 0 {
		s.cur += n
		s.mu.Unlock()
		return nil
	}
	ready := make(chan struct{})
	elem := s.waiters.PushBack(waiter{n: n, ready: ready})
	s.mu.Unlock()
	select {
	case <-ctx.Done():
		s.mu.Lock()
		s.waiters.Remove(elem)
		s.mu.Unlock()
		return ctx.Err()
	case <-ready:
		return nil
	}
}

// Release gives n units back and wakes the waiters they satisfy.
func (s *Weighted) Release(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur -= n
	for {
		next := s.waiters.Front()
		if next == nil {
			break
		}
		w := next.Value.(waiter)
		if s.size-s.cur < w.n {
			break
		}
		s.cur += w.n
		s.waiters.Remove(next)
		close(w.ready)
	}
}

var pool = sync.Pool{New: func() any { return make(chan error, 1) }}

type fifoWaiter struct {
	n int64
	c chan error
}

// Fifo keeps its waiters in a slice and takes their channels from a
// pool.
type Fifo struct {
	mu struct {
		sync.Mutex
		capacity, outstanding int64
		waiters               []*fifoWaiter
	}
}

// Acquire waits on a pooled channel it appended to the waiters.
func (s *Fifo) Acquire(n int64) error {
	s.mu.Lock()
	if len(s.mu.waiters) == 0 && s.mu.outstanding+n <= s.mu.capacity {
		s.mu.outstanding += n
		s.mu.Unlock()
		return nil
	}
	c := pool.Get().(chan error)
	defer pool.Put(c)
	s.mu.waiters = append(s.mu.waiters, &fifoWaiter{n: n, c: c})
	s.mu.Unlock()
	return <-c
}

// Release hands units to the first waiters.
func (s *Fifo) Release(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.outstanding -= n
	for len(s.mu.waiters) > 0 && s.mu.waiters[0].n <= s.mu.capacity-s.mu.outstanding {
		w := s.mu.waiters[0]
		s.mu.waiters = s.mu.waiters[1:]
		s.mu.outstanding += w.n
		w.c <- nil
	}
}

var (
	loadSema = &Weighted{size: 4}
	fifoSema = &Fifo{}
)

// Reader reads blocks under the package's semaphores.
type Reader struct{}

func (r *Reader) readBlock() {
	if err := loadSema.Acquire(context.Background(), 1); err != nil {
		return
	}
	defer loadSema.Release(1)
}

func (r *Reader) readFifo() {
	if err := fifoSema.Acquire(1); err != nil {
		return
	}
	defer fifoSema.Release(1)
}

// The finalizers read under the semaphores: they wait for other readers
// to release their units, as long as a lock.
func finalizeReaders() {
	runtime.SetFinalizer(&Reader{}, func(r *Reader) { r.readBlock() })
	runtime.SetFinalizer(&Reader{}, func(r *Reader) { r.readFifo() })
}

// Dispatcher hands each request's reply channel to a loop that another
// goroutine runs, if any: the twin.
type Dispatcher struct {
	reqs chan chan struct{}
}

// Call sends its channel to the loop and waits for the answer.
func (d *Dispatcher) Call() {
	ready := make(chan struct{})
	d.reqs <- ready
	<-ready
}

var dispatcher = &Dispatcher{reqs: make(chan chan struct{})}

// Job's finalizer calls through the dispatcher: the loop may never run.
type Job struct{}

func finalizeJob() {
	runtime.SetFinalizer(&Job{}, func(j *Job) { dispatcher.Call() }) // want `finalizer finalizeJob.func1 can wait without bound.*\(\*Dispatcher\).Call`
}
