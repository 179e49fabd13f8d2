// Package cgoalloc calls C while it holds a lock that a finalizer takes.
// cgo's wrapper of the C function moves its argument to the heap: an
// allocation in generated code, named as such in the witness.
package cgoalloc

// static int twice(int x) { return 2 * x; }
import "C"

import (
	"runtime"
	"sync"
)

var mu sync.Mutex

type Conn struct{ n int }

func Open() *Conn {
	c := &Conn{}
	runtime.SetFinalizer(c, func(c *Conn) { mu.Lock(); mu.Unlock() })
	return c
}

// Twice calls C under mu.
func (c *Conn) Twice() int {
	mu.Lock()
	defer mu.Unlock()
	return int(C.twice(C.int(c.n))) // want `^allocation through _Cfunc_twice \(cgoalloc.go:\d+\) → variable p0 moved to the heap \(generated code\) while holding cgoalloc.mu`
}

// TwiceUnlocked calls C after it releases mu: silent.
func (c *Conn) TwiceUnlocked() int {
	mu.Lock()
	n := c.n
	mu.Unlock()
	return int(C.twice(C.int(n)))
}
