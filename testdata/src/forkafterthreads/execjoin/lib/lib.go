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
