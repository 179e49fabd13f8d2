// Package cbapp stores callbacks into the fields that cblib's SIGTERM
// handler runs: each hazard is reported here, at the store or at the call
// of the registering method, with cblib's part of the path in the witness.
package cbapp

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"lockinfinalizer/cblib"
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

// Register's callback sends on done, which nothing is bound to receive.
func Register(l *cblib.Lib) {
	l.OnShutdown(func() error { done <- 1; return nil }) // want `^signal handler \(\*cblib\.Lib\)\.watch can wait without bound; .*: signal handler \(\*cblib\.Lib\)\.watch → \(\*Lib\)\.shutdown \(cblib\.go:\d+\) → Register\.func1 \(cblib\.go:\d+, dynamic\) → send to cbapp\.done \(cbapp\.go:\d+\) \(lockinfinalizer/blocking\)$`
}

// Reenter's callback takes the mutex that the handler holds while it
// runs the callbacks.
func Reenter(l *cblib.Lib) {
	l.OnShutdown(func() error { l.Close(); return nil }) // want `^signal handler \(\*cblib\.Lib\)\.watch takes Lib\.mu while it already holds it \(\(\*Lib\)\.shutdown \(cblib\.go:45\) → Lib\.mu\.Lock \(cblib\.go:49\)\): Go mutexes are not reentrant, so it waits for itself: deadlock; while it waits the signals it handles are ignored \(signal\.Notify disabled their default action\): signal handler \(\*cblib\.Lib\)\.watch → \(\*Lib\)\.shutdown \(cblib\.go:45\) → Reenter\.func1 \(cblib\.go:52, dynamic\) → \(\*cblib\.Lib\)\.Close \(cbapp\.go:35\) → Lib\.mu\.Lock \(cblib\.go:76\) \(lockinfinalizer/relock\)$`
}

// Contend's callback takes mu, which Hold holds across a wait.
func Contend(l *cblib.Lib) {
	l.OnShutdown(func() error { mu.Lock(); mu.Unlock(); return nil }) // want `^signal handler \(\*cblib\.Lib\)\.watch takes cbapp\.mu, which Hold \(cbapp\.go:\d+\) holds across receive from cbapp\.done`
}

// Appended's callback, appended to an exported slice field, waits for a
// value on done.
func Appended(l *cblib.Lib) {
	l.Hooks = append(l.Hooks, func() { <-done }) // want `^signal handler \(\*cblib\.Lib\)\.watch can wait without bound; .* → Appended\.func1 \(cblib\.go:\d+, dynamic\) → receive from cbapp\.done`
}

// Assigned assigns a method value that takes the handler's mutex again.
func Assigned(l *cblib.Lib) {
	l.Hook = l.Close // want `^signal handler \(\*cblib\.Lib\)\.watch takes Lib\.mu while it already holds it`
}

// Literal's composite literal stores a callback that waits.
func Literal() *cblib.Lib {
	return &cblib.Lib{Hooks: []func(){func() { <-done }}} // want `^signal handler \(\*cblib\.Lib\)\.watch can wait without bound`
}

// Quiet's callback does nothing that can wait: silent.
func Quiet(l *cblib.Lib) {
	n := 0
	l.OnShutdown(func() error { n++; return nil })
}

// Later stores a callback that waits into a field that no root calls:
// silent.
func Later(l *cblib.Lib) {
	l.Later = append(l.Later, func() { <-done })
}

// Copied's callback takes Safe's mutex, which Safe's handler released
// before it runs the callbacks: silent.
func Copied(s *cblib.Safe) {
	s.Add(func() { s.Close() })
}

// Drained stores a callback that waits into the field that Drain runs,
// and Drain runs in a signal handler of this package: the root is here,
// the call of the field in cblib, the callback here again.
func Drained(l *cblib.Lib) {
	l.OnDrain = append(l.OnDrain, func() { <-done }) // want `^signal handler Drained\.func2 can wait without bound; .*: signal handler Drained\.func2 → \(\*cblib\.Lib\)\.Drain \(cbapp\.go:\d+\) → Drained\.func1 \(cblib\.go:\d+, dynamic\) → receive from cbapp\.done \(cbapp\.go:\d+\) \(lockinfinalizer/blocking\)$`
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT)
		<-ch
		l.Drain()
	}()
}

// Another's callback takes the mutex of another Lib than the one whose
// handler runs it: another instance of the class, silent.
func Another(l, other *cblib.Lib) {
	l.OnShutdown(func() error { other.Close(); return nil })
}

// Handoff's callback starts a goroutine that closes l, which takes the
// mutex the handler holds while it runs the callback, and waits for it:
// the handler waits for the goroutine, the goroutine for the handler.
func Handoff(l *cblib.Lib) {
	l.OnShutdown(func() error { // want `^signal handler \(\*cblib\.Lib\)\.watch takes Lib\.mu, which \(\*Lib\)\.shutdown \(cblib\.go:49\) holds across Handoff\.func1 \(cblib\.go:52, dynamic\) → receive from chan made at cbapp\.go:\d+, waiting for go Handoff\.func1\.func1 \(cbapp\.go:\d+\) → \(\*cblib\.Lib\)\.Close \(cbapp\.go:\d+\) → Lib\.mu\.Lock \(cblib\.go:76\), and that goroutine needs Lib\.mu first: deadlock; .* \(lockinfinalizer/cycle\)$`
		done := make(chan struct{})
		go func() {
			l.Close()
			close(done)
		}()
		<-done
		return nil
	})
}

// Handover's callback hands a value to a goroutine that it starts and
// that closes l first.
func Handover(l *cblib.Lib) {
	l.Hook = func() { // want `^signal handler \(\*cblib\.Lib\)\.watch takes Lib\.mu, which \(\*Lib\)\.shutdown \(cblib\.go:49\) holds across .* send to chan .*, and that goroutine needs Lib\.mu first: deadlock`
		ch := make(chan int)
		go func() {
			l.Close()
			<-ch
		}()
		ch <- 1
	}
}

// Handback's goroutine closes l after it took the value: the callback's
// send has its partner, silent.
func Handback(l *cblib.Lib) {
	l.OnShutdown(func() error {
		ch := make(chan int)
		go func() {
			<-ch
			l.Close()
		}()
		ch <- 1
		return nil
	})
}

// Elsewhere's callback waits for a goroutine that closes another Lib
// than the one whose handler runs it: silent.
func Elsewhere(l, other *cblib.Lib) {
	l.OnShutdown(func() error {
		done := make(chan struct{})
		go func() {
			other.Close()
			close(done)
		}()
		<-done
		return nil
	})
}

// Released's callback waits for a goroutine that takes Safe's mutex,
// which Safe's handler released before it runs the callbacks: silent.
func Released(s *cblib.Safe) {
	s.Add(func() {
		done := make(chan struct{})
		go func() {
			s.Close()
			close(done)
		}()
		<-done
	})
}

// Started's goroutine was started when the callback was registered: by
// the time the handler runs the callback it may long be past its Close,
// so a deadlock is not proved, silent.
func Started(l *cblib.Lib) {
	ch := make(chan int)
	go func() {
		for {
			l.Close()
			<-ch
		}
	}()
	l.OnShutdown(func() error { ch <- 1; return nil })
}
