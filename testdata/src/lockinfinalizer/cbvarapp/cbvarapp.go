// Package cbvarapp stores callbacks into the package-level variables
// that cbvarlib's SIGTERM handler runs: each hazard is reported here, at
// the assignment or at the call of the registering function, with
// cbvarlib's part of the path in the witness.
package cbvarapp

import (
	"sync"

	"lockinfinalizer/cbvarlib"
)

// done is an unbuffered channel that nothing is bound to drain.
var done = make(chan int)

var mu sync.Mutex

// Hold holds mu while it waits for done.
func Hold() {
	mu.Lock()
	<-done
	mu.Unlock()
}

// Registered's callback, registered with OnExit, waits for a value on
// done while the handler holds cbvarlib's mutex.
func Registered() {
	cbvarlib.OnExit(func() { <-done }) // want `^signal handler cbvarlib\.Trap\.func1 can wait without bound; .*: signal handler cbvarlib\.Trap\.func1 → exit \(cbvarlib\.go:\d+\) → Registered\.func1 \(cbvarlib\.go:\d+, dynamic\) → receive from cbvarapp\.done \(cbvarapp\.go:\d+\) \(lockinfinalizer/blocking\)$`
}

// Assigned's callback, assigned to an exported variable that the handler
// calls with no lock held, sends on done.
func Assigned() {
	cbvarlib.OnStop = func() { done <- 1 } // want `^signal handler cbvarlib\.Trap\.func1 can wait without bound; .* → exit \(cbvarlib\.go:\d+\) → Assigned\.func1 \(cbvarlib\.go:\d+, dynamic\) → send to cbvarapp\.done \(cbvarapp\.go:\d+\) \(lockinfinalizer/blocking\)$`
}

// Reenter's callback takes the package-level mutex that the handler
// holds while it runs the hooks.
func Reenter() {
	cbvarlib.OnExit(cbvarlib.Count) // want `^signal handler cbvarlib\.Trap\.func1 takes cbvarlib\.mu while it already holds it .* \(lockinfinalizer/relock\)$`
}

// Contend's callback takes mu, which Hold holds across a wait.
func Contend() {
	cbvarlib.OnExit(func() { mu.Lock(); mu.Unlock() }) // want `^signal handler cbvarlib\.Trap\.func1 takes cbvarapp\.mu, which Hold \(cbvarapp\.go:\d+\) holds across receive from cbvarapp\.done`
}

// Quiet's callback does nothing that can wait: silent.
func Quiet() {
	n := 0
	cbvarlib.OnExit(func() { n++ })
	cbvarlib.OnStop = func() { n-- }
}

// Copied's callback takes the mutex that the handler released before it
// runs the callbacks: silent.
func Copied() {
	cbvarlib.OnSafeExit(cbvarlib.SafeCount)
}

// Later stores a callback that waits into a variable that no root
// calls: silent.
func Later() {
	cbvarlib.Later = append(cbvarlib.Later, func() { <-done })
}

// Counted's callback waits for a goroutine it starts that takes the
// package-level mutex the handler holds while it runs the hooks.
func Counted() {
	cbvarlib.OnExit(func() { // want `^signal handler cbvarlib\.Trap\.func1 takes cbvarlib\.mu, which exit \(cbvarlib\.go:\d+\) holds across Counted\.func1 \(cbvarlib\.go:\d+, dynamic\) → receive from chan made at cbvarapp\.go:\d+, waiting for go Counted\.func1\.func1 \(cbvarapp\.go:\d+\) → cbvarlib\.Count \(cbvarapp\.go:\d+\) → cbvarlib\.mu\.Lock \(cbvarlib\.go:\d+\), and that goroutine needs cbvarlib\.mu first: deadlock`
		done := make(chan struct{})
		go func() {
			cbvarlib.Count()
			close(done)
		}()
		<-done
	})
}

// SafeCounted's callback waits for a goroutine that takes the mutex the
// handler released before it runs the callbacks: silent.
func SafeCounted() {
	cbvarlib.OnSafeExit(func() {
		done := make(chan struct{})
		go func() {
			cbvarlib.SafeCount()
			close(done)
		}()
		<-done
	})
}
