package robust

import (
	"os"
	"os/signal"
	"runtime"
	"sync"
)

// Box is a generic type whose constructor registers its finalizer: one
// registration site, one diagnostic, however many instances there are.
type Box[T any] struct {
	ch chan T
}

func (b *Box[T]) finalize() { <-b.ch }

func (b *Box[T]) finalizeOK() { close(b.ch) }

func NewBox[T any]() *Box[T] {
	b := &Box[T]{}
	runtime.SetFinalizer(b, (*Box[T]).finalize) // want `finalizer \(\*Box\[T\]\).finalize can wait without bound`
	return b
}

func NewBoxOK[T any]() *Box[T] {
	b := &Box[T]{}
	runtime.SetFinalizer(b, (*Box[T]).finalizeOK)
	return b
}

func boxes() {
	_, _ = NewBox[int](), NewBox[string]()
	_, _ = NewBoxOK[int](), NewBoxOK[string]()
}

// A generic signal handler, instantiated twice.

var (
	stateMu sync.Mutex
	state   = make(chan int)
)

func holdState() {
	stateMu.Lock()
	<-state
	stateMu.Unlock()
}

func handleAny[T any](ch chan os.Signal, v T) {
	<-ch // want `signal handler handleAny takes robust.stateMu`
	stateMu.Lock()
	stateMu.Unlock()
}

func handlers() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	go handleAny(ch, 1)
	go handleAny(ch, "x")
}
