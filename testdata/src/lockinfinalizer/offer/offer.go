// Package offer holds receives that take back a value the receiver
// offered first: a callee registers a buffered channel for notifications
// and offers it the current state at once (select with a default case),
// on every path on which it reports success (nats-server's
// registerNotification). The receive after the registration finds that
// value, or the values that filled the buffer: it does not wait. The
// twins offer only on some successful paths, or on an unbuffered channel,
// where nothing may be there to receive. A channel primed right after it
// is made has room for that value; the twin hands it out first.
package offer

import (
	"errors"
	"runtime"
	"strings"
	"sync"
)

var (
	errWildcard = errors.New("wildcard subject")
	errNilChan  = errors.New("nil channel")
	errTwice    = errors.New("registered twice")
)

// Sublist tells registered channels when interest in a subject changes.
type Sublist struct {
	mu     sync.Mutex
	notify map[string][]chan<- bool
	subs   map[string]int
}

// register adds ch to the channels told about subject, and offers it the
// current state, unless it fails.
func (s *Sublist) register(subject string, ch chan<- bool) error {
	if strings.Contains(subject, "*") {
		return errWildcard
	}
	if ch == nil {
		return errNilChan
	}
	s.mu.Lock()
	interest := s.subs[subject] > 0
	err := s.add(subject, ch)
	s.mu.Unlock()
	if err == nil {
		offer(ch, interest)
	}
	return err
}

func (s *Sublist) add(subject string, ch chan<- bool) error {
	for _, c := range s.notify[subject] {
		if c == ch {
			return errTwice
		}
	}
	s.notify[subject] = append(s.notify[subject], ch)
	return nil
}

// registerQuiet offers the state only when there is interest.
func (s *Sublist) registerQuiet(subject string, ch chan<- bool) error {
	if ch == nil {
		return errNilChan
	}
	s.mu.Lock()
	interest := s.subs[subject] > 0
	err := s.add(subject, ch)
	s.mu.Unlock()
	if err == nil && interest {
		offer(ch, interest)
	}
	return err
}

func offer(ch chan<- bool, v bool) {
	select {
	case ch <- v:
	default:
	}
}

// Consumer learns whether anyone listens to its subject when it starts.
type Consumer struct {
	mu     sync.Mutex
	sl     *Sublist
	inch   chan bool
	active bool
}

// start registers and reads the state it was offered, ignoring an error
// that a valid subject never gets.
func (c *Consumer) start() {
	c.mu.Lock()
	c.inch = make(chan bool, 8)
	c.sl.register("orders", c.inch)
	c.active = <-c.inch
	c.mu.Unlock()
}

// Checked registers, returns on error, and reads the state.
type Checked struct {
	mu     sync.Mutex
	sl     *Sublist
	inch   chan bool
	active bool
}

func (c *Checked) start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inch = make(chan bool, 8)
	if err := c.sl.register("orders", c.inch); err != nil {
		return err
	}
	c.active = <-c.inch
	return nil
}

// Quiet reads a state that is offered only when there is interest.
type Quiet struct {
	mu     sync.Mutex
	sl     *Sublist
	inch   chan bool
	active bool
}

func (c *Quiet) start() {
	c.mu.Lock()
	c.inch = make(chan bool, 8)
	c.sl.registerQuiet("orders", c.inch)
	c.active = <-c.inch
	c.mu.Unlock()
}

// Careless reads the state after a registration that failed.
type Careless struct {
	mu     sync.Mutex
	sl     *Sublist
	inch   chan bool
	active bool
}

func (c *Careless) start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inch = make(chan bool, 8)
	if err := c.sl.register("orders", c.inch); err != nil {
		c.active = <-c.inch
	}
}

// Unbuffered offers on a channel without a buffer: the offer is dropped
// when nobody receives at that moment.
type Unbuffered struct {
	mu     sync.Mutex
	sl     *Sublist
	inch   chan bool
	active bool
}

func (c *Unbuffered) start() {
	c.mu.Lock()
	c.inch = make(chan bool)
	c.sl.register("orders", c.inch)
	c.active = <-c.inch
	c.mu.Unlock()
}

// Primer primes a channel it has just made, before anything else sees
// it (nats-server's runCatchup: nextBatchC <- struct{}{} right after the
// make): the buffer has room, whatever offers the channel gets later.
type Primer struct {
	mu   sync.Mutex
	kick func()
	next chan struct{}
}

func (p *Primer) start() {
	p.mu.Lock()
	next := make(chan struct{}, 1)
	next <- struct{}{}
	p.kick = func() {
		select {
		case next <- struct{}{}:
		default:
		}
	}
	p.next = next
	p.mu.Unlock()
}

// LatePrimer hands the channel out first: its kick may fill the buffer
// before the send, which then waits.
type LatePrimer struct {
	mu   sync.Mutex
	kick func()
	next chan struct{}
}

func (p *LatePrimer) start() {
	p.mu.Lock()
	next := make(chan struct{}, 1)
	p.kick = func() {
		select {
		case next <- struct{}{}:
		default:
		}
	}
	next <- struct{}{}
	p.next = next
	p.mu.Unlock()
}

// Handle owns one consumer of each kind.
type Handle struct {
	c  *Consumer
	k  *Checked
	q  *Quiet
	l  *Careless
	u  *Unbuffered
	p  *Primer
	lp *LatePrimer
}

func finalizers() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) {
		h.c.mu.Lock()
		h.c.mu.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) {
		h.k.mu.Lock()
		h.k.mu.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer finalizers.func3 takes Quiet.mu, which \(\*Quiet\).start \(offer.go:\d+\) holds across receive from Quiet.inch`
		h.q.mu.Lock()
		h.q.mu.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer finalizers.func4 takes Careless.mu, which \(\*Careless\).start \(offer.go:\d+\) holds across receive from Careless.inch`
		h.l.mu.Lock()
		h.l.mu.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer finalizers.func5 takes Unbuffered.mu, which \(\*Unbuffered\).start \(offer.go:\d+\) holds across receive from Unbuffered.inch`
		h.u.mu.Lock()
		h.u.mu.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) {
		h.p.mu.Lock()
		h.p.mu.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer finalizers.func7 takes LatePrimer.mu, which \(\*LatePrimer\).start \(offer.go:\d+\) holds across send to`
		h.lp.mu.Lock()
		h.lp.mu.Unlock()
	})
}
