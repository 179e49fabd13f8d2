// Package token holds one-slot channels used as mutexes (moby's
// sharedTempFileConverter). Taking the token in a finalizer is a lock
// acquisition: reported when the token is held somewhere across an
// unbounded wait, silent when it never is. A send on a reply channel (one
// buffered slot for the one answer its maker waits for) is not a wait.
package token

import (
	"runtime"
	"time"
)

type state struct{ refs map[int]int }

type result struct{ n int }

// Conv guards its state with a token; waiters get their answer on reply
// channels of their own.
type Conv struct {
	st      chan state
	waiters []chan<- result
}

func NewConv() *Conv {
	st := make(chan state, 1)
	st <- state{refs: map[int]int{}}
	return &Conv{st: st}
}

// Wait registers for the next answer and waits for it, without the token.
func (c *Conv) Wait() int {
	st := <-c.st
	w := make(chan result, 1)
	c.waiters = append(c.waiters, w)
	c.st <- st
	return (<-w).n
}

// Answer answers every waiter while it holds the token.
func (c *Conv) Answer(n int) {
	st := <-c.st
	for _, w := range c.waiters {
		w <- result{n}
	}
	c.waiters = nil
	c.st <- st
}

type Reader struct {
	c  *Conv
	id int
}

func (c *Conv) Reader(id int) *Reader {
	r := &Reader{c: c, id: id}
	runtime.SetFinalizer(r, (*Reader).Close)
	return r
}

func (r *Reader) Close() error {
	st := <-r.c.st
	st.refs[r.id]--
	r.c.st <- st
	return nil
}

// Slow holds its token across a wait for a signal nobody is bound to send;
// Nap holds its own only across a sleep.
type Slow struct {
	st  chan struct{}
	sig chan int
}

func NewSlow() *Slow {
	s := &Slow{st: make(chan struct{}, 1)}
	s.st <- struct{}{}
	return s
}

func (s *Slow) Flush() {
	t := <-s.st
	<-s.sig
	s.st <- t
}

type Nap struct{ st chan struct{} }

func NewNap() *Nap {
	n := &Nap{st: make(chan struct{}, 1)}
	n.st <- struct{}{}
	runtime.SetFinalizer(n, func(n *Nap) { // silent: the token is held across a bounded sleep
		t := <-n.st
		n.st <- t
	})
	return n
}

func (n *Nap) Flush() {
	t := <-n.st
	time.Sleep(time.Second)
	n.st <- t
}

type SlowReader struct{ s *Slow }

func (s *Slow) Reader() *SlowReader {
	r := &SlowReader{s: s}
	runtime.SetFinalizer(r, func(r *SlowReader) { // want `finalizer \(\*Slow\).Reader.func1 takes the token of Slow.st, which \(\*Slow\).Flush \(token.go:\d+\) holds across receive from Slow.sig \(token.go:\d+\)`
		t := <-r.s.st
		r.s.st <- t
	})
	return r
}

// Queue's channel has one slot but is never primed: a receive waits for a
// producer, not for a token.
type Queue struct{ ch chan int }

func NewQueue() *Queue { return &Queue{ch: make(chan int, 1)} }

func (q *Queue) Reader() *Queue {
	r := &Queue{ch: q.ch}
	runtime.SetFinalizer(r, func(r *Queue) { <-r.ch }) // want `finalizer \(\*Queue\).Reader.func1 can wait without bound`
	return r
}
