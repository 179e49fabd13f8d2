// Package bufsend holds the "finalizer ran" channel idiom: a send that a
// buffer makes room for cannot block.
package bufsend

import "runtime"

type T struct{ _ *int }

// Once sends once on a channel with room for it: silent.
func Once() {
	done := make(chan bool, 1)
	t := new(T)
	runtime.SetFinalizer(t, func(*T) { done <- true })
	<-done
}

// Unbuffered sends to the function that registered the finalizer, which
// receives from it: the registrant waits for its finalizer, so the send
// has its partner. Silent.
func Unbuffered() {
	done := make(chan bool)
	t := new(T)
	runtime.SetFinalizer(t, func(*T) { done <- true })
	<-done
}

// Escapes hands its channel to the caller, who may never receive.
func Escapes() chan bool {
	done := make(chan bool)
	runtime.SetFinalizer(new(T), func(*T) { done <- true }) // want `finalizer Escapes.func1 can wait without bound`
	return done
}

// TooMany registers three finalizers on a channel with room for two.
func TooMany() {
	done := make(chan bool, 2)
	a, b, c := new(T), new(T), new(T)
	runtime.SetFinalizer(a, func(*T) { done <- true }) // want `can wait without bound`
	runtime.SetFinalizer(b, func(*T) { done <- true }) // want `can wait without bound`
	runtime.SetFinalizer(c, func(*T) { done <- true }) // want `can wait without bound`
}

// Enough registers three finalizers on a channel with room for three.
func Enough() {
	done := make(chan bool, 3)
	a, b, c := new(T), new(T), new(T)
	runtime.SetFinalizer(a, func(*T) { done <- true })
	runtime.SetFinalizer(b, func(*T) { done <- true })
	runtime.SetFinalizer(c, func(*T) { done <- true })
}

// InLoop registers any number of finalizers.
func InLoop(n int) {
	done := make(chan bool, 1)
	for range n {
		runtime.SetFinalizer(new(T), func(*T) { done <- true }) // want `can wait without bound`
	}
}

// Twice sends twice per run.
func Twice() {
	done := make(chan bool, 1)
	runtime.SetFinalizer(new(T), func(*T) { // want `can wait without bound`
		done <- true
		done <- true
	})
}
