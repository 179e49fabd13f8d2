// Package lib starts goroutines that its functions join before they
// return, or not, for execjoin to learn from its facts.
package lib

import "sync"

// A Describer sends what it has to a channel.
type Describer interface{ Describe(chan<- string) }

// A Registry takes what Describers describe.
type Registry struct {
	mu    sync.Mutex
	names map[string]bool
}

// Register drains in a deferred call what the goroutine it starts sends
// until the goroutine closes the channel: the goroutine has finished
// when Register returns, on every path.
func (r *Registry) Register(d Describer) error {
	ch := make(chan string, 16)
	go func() {
		d.Describe(ch)
		close(ch)
	}()
	r.mu.Lock()
	defer func() {
		for range ch {
		}
		r.mu.Unlock()
	}()
	for name := range ch {
		if r.names[name] {
			return errDup
		}
		r.names[name] = true
	}
	return nil
}

// RegisterSome waits for its goroutine only when it finds no duplicate.
func (r *Registry) RegisterSome(d Describer) error {
	ch := make(chan string, 16)
	go func() {
		d.Describe(ch)
		close(ch)
	}()
	for name := range ch {
		if r.names[name] {
			return errDup // the goroutine may still run
		}
		r.names[name] = true
	}
	return nil
}

type dupError struct{}

func (dupError) Error() string { return "duplicate" }

var errDup error = dupError{}

// A Wrap describes what the Describer it wraps describes, on a goroutine
// it joins; the Describer may be another Wrap, so Describe and its
// goroutine call each other.
type Wrap struct{ Inner Describer }

// Describe joins its goroutine before it returns.
func (w Wrap) Describe(out chan<- string) {
	ch := make(chan string)
	go func() {
		w.Inner.Describe(ch)
		close(ch)
	}()
	for s := range ch {
		out <- "wrapped " + s
	}
}

// RegisterWrapped registers d wrapped twice.
func (r *Registry) RegisterWrapped(d Describer) error {
	return r.Register(Wrap{Wrap{d}})
}

// A Leaky describes on a goroutine it does not wait for.
type Leaky struct{ Inner Describer }

// Describe returns while its goroutine may run.
func (l Leaky) Describe(out chan<- string) {
	go l.Inner.Describe(out)
}

// DescribeLeaky drains what d describes behind a Leaky: it joins the
// goroutine it starts, but not the one the Leaky starts.
func (r *Registry) DescribeLeaky(d Describer) int {
	return drain(Leaky{d})
}

func drain(d Describer) int {
	ch := make(chan string)
	go func() {
		d.Describe(ch)
		close(ch)
	}()
	n := 0
	for range ch {
		n++
	}
	return n
}
