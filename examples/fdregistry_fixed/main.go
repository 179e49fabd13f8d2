// Fdregistry_fixed is fdregistry with a ForEachFD that calls back unlocked.
//
// ForEachFD copies the set of descriptors while it holds registryMu, releases
// the lock, and only then calls fn. A callback that waits no longer keeps the
// FD finalizer (and every finalizer queued after it) from running.
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

var finalizerDone atomic.Bool

func (f *FD) finalize() {
	registryMu.Lock()
	delete(registry.fds, f.fd)
	syscall.Close(f.fd)
	registryMu.Unlock()
	finalizerDone.Store(true)
}

// ForEachFD calls fn for every descriptor that was open when it was called.
// It does not hold registryMu while it calls fn.
func ForEachFD(fn func(fd int)) {
	registryMu.Lock()
	fds := make([]int, 0, len(registry.fds))
	for fd := range registry.fds {
		fds = append(fds, fd)
	}
	registryMu.Unlock()
	for _, fd := range fds {
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
	reported := make(chan struct{})
	go func() {
		ForEachFD(func(fd int) {
			waiting.Store(true)
			<-ready
		})
		close(reported)
	}()
	for !waiting.Load() {
		time.Sleep(time.Millisecond)
	}

	runtime.KeepAlive(f) // f is unreachable from here on

	if !eventually(finalizerDone.Load, 2*time.Second) {
		fmt.Println("stalled for 2s: the FD finalizer did not complete")
		os.Exit(1)
	}
	close(ready)
	select {
	case <-reported:
	case <-time.After(2 * time.Second):
		fmt.Println("finalizer done; ForEachFD did not return")
		os.Exit(1)
	}
	fmt.Println("finalizer done; fd closed while ForEachFD was waiting")
}
