// Package mainthread runs functions on the thread that calls Run, one at
// a time: Do hands a function over and waits until it has run.
package mainthread

// A Loop runs the functions it is given on the goroutine of Run.
type Loop struct {
	funcs chan func()
	done  chan struct{}
}

// New returns a loop; Run must be called for Do to return.
func New() *Loop {
	return &Loop{funcs: make(chan func()), done: make(chan struct{})}
}

// Do runs f on the loop's thread and waits for it to finish.
func (l *Loop) Do(f func()) {
	l.funcs <- f
	<-l.done
}

// Run serves Do until funcs is closed.
func (l *Loop) Run() {
	for f := range l.funcs {
		f()
		l.done <- struct{}{}
	}
}

// Direct runs functions where they are given: its Do never waits.
type Direct struct{}

// Do runs f.
func (Direct) Do(f func()) { f() }
