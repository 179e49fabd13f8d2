// Package inline has finalizers and cleanups that take locks never held
// across a wait. Under finalizers=goroutine (gc) they are fine; under
// finalizers=inline the collector may run them inside an allocation made
// while the lock is held, so every lock they take is reported.
package inline

import (
	"os"
	"os/signal"
	"runtime"
	"sync"
)

var (
	cacheMu sync.Mutex
	cache   = map[int]string{}
)

// Put allocates under cacheMu.
func Put(k int, v string) {
	cacheMu.Lock()
	cache[k] = v + "!"
	cacheMu.Unlock()
}

// File is an open file.
type File struct {
	id int
	mu sync.Mutex // by value in the finalized object
	c  *Counter
}

// Counter counts open files.
type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) dec() {
	c.mu.Lock()
	c.n--
	c.mu.Unlock()
}

func (f *File) finalize() {
	cacheMu.Lock()
	delete(cache, f.id)
	cacheMu.Unlock()
}

func (f *File) finalizeSelf() {
	f.mu.Lock()
	f.id = -1
	f.mu.Unlock()
}

func (f *File) finalizeCounter() { f.c.dec() }

func (f *File) finalizeTry() {
	if cacheMu.TryLock() {
		delete(cache, f.id)
		cacheMu.Unlock()
	}
}

func (f *File) finalizeNoLock() { f.id = -1 }

func forget(id int) {
	cacheMu.Lock()
	delete(cache, id)
	cacheMu.Unlock()
}

func Open(id int) *File {
	f := &File{id: id, c: &Counter{}}
	runtime.SetFinalizer(f, (*File).finalize) // want `finalizer \(\*File\).finalize takes inline.cacheMu; under finalizers=inline it may run inside an allocation made while inline.cacheMu is held, and deadlock; [^:]*: finalizer \(\*File\).finalize → inline.cacheMu.Lock \(inline.go:\d+\)`
	runtime.SetFinalizer(&File{}, (*File).finalizeSelf)
	runtime.SetFinalizer(&File{}, (*File).finalizeCounter) // want `finalizer \(\*File\).finalizeCounter takes Counter.mu; under finalizers=inline.*→ \(\*Counter\).dec \(inline.go:\d+\) → Counter.mu.Lock`
	runtime.SetFinalizer(&File{}, (*File).finalizeTry)
	runtime.SetFinalizer(&File{}, (*File).finalizeNoLock)
	runtime.AddCleanup(f, forget, id) // want `cleanup forget takes inline.cacheMu; under finalizers=inline`
	return f
}

// Signal handlers run on an ordinary goroutine under every model.
func Handle() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	<-ch
	forget(0)
}
