// Package selectcase holds goroutines whose only way out is a case of a
// select (a ticker loop that returns when told to stop): they receive the
// stop on every path, so a send of the stop is answered. The twins can
// return by another case first.
package selectcase

import (
	"runtime"
	"time"
)

var (
	done  = make(chan struct{})
	other = make(chan struct{})
	loose = make(chan struct{})
)

// tick refreshes a clock until done gets a value.
func tick() {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
			case <-done:
				return
			}
		}
	}()
}

// tickLoose may return when other is closed, before loose gets a value.
func tickLoose() {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
			case <-loose:
				return
			case <-other:
				return
			}
		}
	}()
}

func finalize() {
	runtime.SetFinalizer(new(int), func(*int) { done <- struct{}{} })
	runtime.SetFinalizer(new(int), func(*int) { loose <- struct{}{} }) // want `finalizer finalize.func2 can wait without bound.*send to selectcase.loose`
}
