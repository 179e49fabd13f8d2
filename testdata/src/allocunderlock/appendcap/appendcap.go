// Package appendcap appends under a lock that a finalizer takes. Every
// append is reported, even one that provably fits in its slice's capacity
// (FitsBeforeLock): proving it needs a local slice made with constant
// length and capacity and untouched up to the append, which shared state
// under a lock almost never is.
package appendcap

import (
	"runtime"
	"sync"
)

type Log struct {
	mu    sync.Mutex
	lines []string
	last  [2]string
}

// Shared: the capacity of l.lines is not known.
func (l *Log) Shared(a string) {
	l.mu.Lock()
	l.lines = append(l.lines, a) // want `^append while holding Log.mu`
	l.mu.Unlock()
}

// FitsBeforeLock: one element into a slice of length 1 and capacity 2
// does not allocate. Reported all the same.
func (l *Log) FitsBeforeLock(a string) {
	buf := make([]string, 1, 2)
	l.mu.Lock()
	buf = append(buf, a) // want `^append while holding Log.mu`
	copy(l.last[:], buf)
	l.mu.Unlock()
}

// MadeInside: the make is the section's first allocation.
func (l *Log) MadeInside(a, b string) {
	l.mu.Lock()
	buf := make([]string, 0, 4) // want `^make\(\[\]string, 0, 4\) while holding Log.mu`
	buf = append(buf, a, b)
	copy(l.last[:], buf)
	l.mu.Unlock()
}

type Entry struct{ l *Log }

func (e *Entry) finalize() {
	e.l.mu.Lock()
	e.l.lines = e.l.lines[:0]
	e.l.mu.Unlock()
}

func (l *Log) Entry() *Entry {
	e := &Entry{l: l}
	runtime.SetFinalizer(e, (*Entry).finalize)
	return e
}
