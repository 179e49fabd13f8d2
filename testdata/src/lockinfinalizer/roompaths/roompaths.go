// Package roompaths holds channels made with room for one value and sent
// on at several places that no path runs more than one of (nats-server's
// processStreamRestore: a goroutine that reports its one result from
// whichever case of its select ends it), each next to twins that send
// twice on one path, or once on each turn of a loop. Each shape has a
// server type of its own, so that its Shutdown joins only its own
// goroutine.
package roompaths

import (
	"errors"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// Restore reports its result on doneCh from three places: twice through
// finish, once directly, each followed by a return.
type Restore struct {
	grWG sync.WaitGroup
	msgs chan int
	tick chan int
}

func (s *Restore) startGoRoutine(f func()) {
	s.grWG.Add(1)
	go func() { f() }()
}

func (s *Restore) restore() <-chan error {
	doneCh := make(chan error, 1)
	s.startGoRoutine(func() {
		defer s.grWG.Done()
		notActive := time.NewTimer(time.Second)
		defer notActive.Stop()
		finish := func(err error) {
			doneCh <- err
		}
		for {
			select {
			case m := <-s.msgs:
				if m == 0 {
					finish(nil)
					return
				}
				if m < 0 {
					finish(errors.New("negative"))
					return
				}
			case <-s.tick:
			case <-notActive.C:
				doneCh <- errors.New("stalled")
				return
			}
		}
	})
	return doneCh
}

// Shutdown waits for the goroutines, which never wait to send: silent.
func (s *Restore) Shutdown() { s.grWG.Wait() }

func (s *Restore) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c
		s.Shutdown()
		os.Exit(0)
	}()
}

// Twice sends its error, then calls finish, which sends again, on one
// path: the second send finds the buffer full.
type Twice struct {
	grWG sync.WaitGroup
	msgs chan int
}

func (s *Twice) startGoRoutine(f func()) {
	s.grWG.Add(1)
	go func() { f() }()
}

func (s *Twice) restore() <-chan error {
	doneCh := make(chan error, 1)
	s.startGoRoutine(func() {
		defer s.grWG.Done()
		finish := func(err error) {
			doneCh <- err
		}
		for {
			select {
			case m := <-s.msgs:
				if m < 0 {
					err := errors.New("negative")
					doneCh <- err
					finish(err)
					return
				}
			case <-time.After(time.Second):
				return
			}
		}
	})
	return doneCh
}

func (s *Twice) Shutdown() { s.grWG.Wait() }

func (s *Twice) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c // want `^signal handler \(\*Twice\).handleSignals.func1 can wait without bound; .*waiting for go \(\*Twice\).restore.func1 \(roompaths.go:\d+\) → send to chan made at roompaths.go:\d+ \(roompaths.go:\d+\)`
		s.Shutdown()
		os.Exit(0)
	}()
}

// Loop sends on every turn of its loop that ends in no return.
type Loop struct {
	grWG sync.WaitGroup
	msgs chan int
}

func (s *Loop) startGoRoutine(f func()) {
	s.grWG.Add(1)
	go func() { f() }()
}

func (s *Loop) restore() <-chan error {
	doneCh := make(chan error, 1)
	s.startGoRoutine(func() {
		defer s.grWG.Done()
		for {
			select {
			case m := <-s.msgs:
				if m < 0 {
					doneCh <- errors.New("negative")
				}
			case <-time.After(time.Second):
				doneCh <- errors.New("stalled")
				return
			}
		}
	})
	return doneCh
}

func (s *Loop) Shutdown() { s.grWG.Wait() }

func (s *Loop) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c // want `^signal handler \(\*Loop\).handleSignals.func1 can wait without bound; .*waiting for go \(\*Loop\).restore.func1 \(roompaths.go:\d+\) → send to chan made at roompaths.go:\d+ \(roompaths.go:\d+\)`
		s.Shutdown()
		os.Exit(0)
	}()
}

// Relay reaches finish through report, a closure that captures it, and
// calls each once per path: silent.
type Relay struct {
	grWG sync.WaitGroup
	msgs chan int
}

func (s *Relay) startGoRoutine(f func()) {
	s.grWG.Add(1)
	go func() { f() }()
}

func (s *Relay) restore() <-chan error {
	doneCh := make(chan error, 1)
	s.startGoRoutine(func() {
		defer s.grWG.Done()
		finish := func(err error) {
			doneCh <- err
		}
		report := func(m int) {
			if m < 0 {
				finish(errors.New("negative"))
				return
			}
			finish(nil)
		}
		for {
			select {
			case m := <-s.msgs:
				if m <= 0 {
					report(m)
					return
				}
			case <-time.After(time.Second):
				return
			}
		}
	})
	return doneCh
}

func (s *Relay) Shutdown() { s.grWG.Wait() }

func (s *Relay) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c
		s.Shutdown()
		os.Exit(0)
	}()
}

// Deferred sends its result from a deferred closure, which runs once:
// silent.
type Deferred struct {
	grWG sync.WaitGroup
	msgs chan int
}

func (s *Deferred) startGoRoutine(f func()) {
	s.grWG.Add(1)
	go func() { f() }()
}

func (s *Deferred) restore() <-chan error {
	doneCh := make(chan error, 1)
	s.startGoRoutine(func() {
		defer s.grWG.Done()
		var err error
		defer func() { doneCh <- err }()
		for {
			select {
			case m := <-s.msgs:
				if m < 0 {
					err = errors.New("negative")
					return
				}
			case <-time.After(time.Second):
				return
			}
		}
	})
	return doneCh
}

func (s *Deferred) Shutdown() { s.grWG.Wait() }

func (s *Deferred) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c
		s.Shutdown()
		os.Exit(0)
	}()
}

// Kept keeps finish in a field, where anything may call it any number of
// times.
type Kept struct {
	grWG   sync.WaitGroup
	msgs   chan int
	finish func(error)
}

func (s *Kept) startGoRoutine(f func()) {
	s.grWG.Add(1)
	go func() { f() }()
}

func (s *Kept) restore() <-chan error {
	doneCh := make(chan error, 1)
	s.startGoRoutine(func() {
		defer s.grWG.Done()
		finish := func(err error) {
			doneCh <- err
		}
		s.finish = finish
		select {
		case m := <-s.msgs:
			if m < 0 {
				finish(errors.New("negative"))
			}
		case <-time.After(time.Second):
		}
	})
	return doneCh
}

func (s *Kept) Shutdown() { s.grWG.Wait() }

func (s *Kept) handleSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c // want `^signal handler \(\*Kept\).handleSignals.func1 can wait without bound; .*waiting for go \(\*Kept\).restore.func1 \(roompaths.go:\d+\) → \(\*Kept\).restore.func1.func1 \(roompaths.go:\d+\) → send to chan made at roompaths.go:\d+ \(roompaths.go:\d+\)`
		s.Shutdown()
		os.Exit(0)
	}()
}

type T struct{ _ *int }

// Either's finalizer sends once on either branch: silent.
func Either(ok bool) {
	done := make(chan bool, 1)
	runtime.SetFinalizer(new(T), func(*T) {
		if ok {
			done <- true
			return
		}
		done <- false
	})
}

// DeferredTwice's finalizer sends, then sends again from a deferred
// closure as it returns.
func DeferredTwice() {
	done := make(chan bool, 1)
	runtime.SetFinalizer(new(T), func(*T) { // want `^finalizer DeferredTwice.func1 can wait without bound`
		defer func() { done <- true }()
		done <- true
	})
}

// F calls its function twice.
type F func()

func (f F) twice() {
	f()
	f()
}

// Bound's finalizer sends once itself, then twice more through a method
// value of its closure.
func Bound() {
	done := make(chan bool, 1)
	send := F(func() { done <- true })
	runtime.SetFinalizer(new(T), func(*T) { // want `^finalizer Bound.func2 can wait without bound; .*: finalizer Bound.func2 → Bound.func1 \(roompaths.go:\d+, dynamic\) → send to chan made at roompaths.go:\d+ \(roompaths.go:\d+\)`
		send()
		run := send.twice
		run()
	})
}
