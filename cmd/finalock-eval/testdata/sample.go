package sample

import (
	"runtime"
	"sync"
)

var mu sync.Mutex

type T struct{ q chan int }

// New registers a finalizer.
func New() *T {
	t := &T{q: make(chan int)}
	runtime.SetFinalizer(t, (*T).finalize)
	return t
}

func (t *T) finalize() {
	mu.Lock()
	mu.Unlock()
}

func hold(t *T) {
	mu.Lock()
	<-t.q
	mu.Unlock()
}
