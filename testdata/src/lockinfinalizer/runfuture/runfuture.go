// Package runfuture holds futures whose goroutine runs a function its
// caller gives and sends the result (caddy's WithBindCapability:
// go func() { runtime.LockOSThread(); ln, err := listen(); ch <- result{ln, err} }();
// r := <-ch). The goroutine runs what it is given, like a spawner's, but
// its send is its own: the receive waits for a goroutine that sends on
// every path. The twin's goroutine returns without sending when its
// setup fails.
package runfuture

import (
	"errors"
	"runtime"
	"sync"
)

var mu sync.Mutex

var broken bool

func raise() error {
	if broken {
		return errors.New("cannot raise")
	}
	return nil
}

type result struct {
	v   any
	err error
}

// withRaised runs listen on a thread of its own and returns its result.
func withRaised(listen func() (any, error)) (any, error) {
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		if err := raise(); err != nil {
			ch <- result{err: err}
			return
		}
		v, err := listen()
		ch <- result{v, err}
	}()
	r := <-ch
	return r.v, r.err
}

// withRaisedQuiet forgets to answer when raise fails.
func withRaisedQuiet(listen func() (any, error)) (any, error) {
	ch := make(chan result, 1)
	go func() {
		if err := raise(); err != nil {
			return
		}
		v, err := listen()
		ch <- result{v, err}
	}()
	r := <-ch
	return r.v, r.err
}

func listen() (any, error) { return nil, nil }

// Bind holds mu across a future that always answers.
func Bind() {
	mu.Lock()
	withRaised(listen)
	mu.Unlock()
}

var quietMu sync.Mutex

// BindQuiet holds quietMu across a future that may never answer.
func BindQuiet() {
	quietMu.Lock()
	withRaisedQuiet(listen)
	quietMu.Unlock()
}

type handle struct{}

func init() {
	runtime.SetFinalizer(&handle{}, func(*handle) {
		mu.Lock()
		mu.Unlock()
	})
	runtime.SetFinalizer(&handle{}, func(*handle) { // want `finalizer init.func2 takes runfuture.quietMu, which BindQuiet \(runfuture.go:\d+\) holds across withRaisedQuiet \(runfuture.go:\d+\) → receive from chan made at runfuture.go:\d+`
		quietMu.Lock()
		quietMu.Unlock()
	})
}
