// Fdregistry shows a finalizer that stalls on a registry lock.
//
// Every open FD is recorded in a global set, registry.fds, guarded by the
// package-level mutex registryMu. A finalizer closes an FD once it is dropped
// and removes it from the set under registryMu. ForEachFD holds registryMu
// while it calls its callback, and the callback here waits on a channel, so
// the finalizer waits as long as the callback does. Go runs all finalizers on
// one goroutine, one after the other: while this one is stuck, no other
// finalizer in the program runs, and leaked descriptors are no longer closed.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	registryMu sync.Mutex
	registry   = struct{ fds map[int]struct{} }{fds: make(map[int]struct{})}
)

// FD is an open file descriptor.
type FD struct {
	fd   int
	path string
}

// Open opens path read-only and records the descriptor in the registry.
func Open(path string) (*FD, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	registryMu.Lock()
	registry.fds[fd] = struct{}{}
	registryMu.Unlock()
	f := &FD{fd: fd, path: path}
	runtime.SetFinalizer(f, (*FD).finalize)
	return f, nil
}

var finalizerStarted, finalizerDone atomic.Bool

func (f *FD) finalize() {
	finalizerStarted.Store(true)
	registryMu.Lock()
	delete(registry.fds, f.fd)
	syscall.Close(f.fd)
	registryMu.Unlock()
	finalizerDone.Store(true)
}

// ForEachFD calls fn for every open descriptor, holding registryMu.
func ForEachFD(fn func(fd int)) {
	registryMu.Lock()
	defer registryMu.Unlock()
	for fd := range registry.fds {
		fn(fd)
	}
}

// eventually runs the garbage collector until cond holds or d has passed.
func eventually(cond func() bool, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
		runtime.GC()
	}
	return cond()
}

func main() {
	f, err := Open(os.DevNull)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}

	// A status report lists the open descriptors; it waits for its consumer
	// before reporting each one.
	ready := make(chan struct{})
	var waiting atomic.Bool
	go ForEachFD(func(fd int) {
		waiting.Store(true)
		<-ready
	})
	for !waiting.Load() {
		time.Sleep(time.Millisecond)
	}

	runtime.KeepAlive(f) // f is unreachable from here on

	if !eventually(finalizerStarted.Load, 2*time.Second) {
		fmt.Println("the FD finalizer did not run")
		os.Exit(1)
	}
	if eventually(finalizerDone.Load, 2*time.Second) {
		fmt.Println("finalizer done")
		return
	}
	fmt.Println("stalled for 2s: FD finalizer blocked on registryMu, held by ForEachFD")
}
