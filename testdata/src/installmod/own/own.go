// Package own has a root of the application's own module: reported at
// its registration, not at its callers in the module.
package own

import (
	"runtime"
	"sync"
)

var (
	mu   sync.Mutex
	reqs = make(chan int)
)

// Serve holds mu across a receive nobody is bound to answer.
func Serve() {
	mu.Lock()
	defer mu.Unlock()
	<-reqs
}

// T has a finalizer that takes mu.
type T struct{ n int }

// New returns a T.
func New() *T {
	t := &T{}
	runtime.SetFinalizer(t, func(t *T) { // want `finalizer New\.func1 takes own\.mu`
		mu.Lock()
		t.n = 0
		mu.Unlock()
	})
	return t
}
