// Package robust has code that analyzers often trip over: generics,
// recursion, a large function, unreachable code, method values of
// interfaces and goroutines started by finalizers.
package robust

import (
	"runtime"
	"sync"
)

// Cache is a generic cache whose lock is held across a receive in Load.
type Cache[K comparable, V any] struct {
	mu   sync.Mutex
	m    map[K]V
	fill chan V
}

func (c *Cache[K, V]) Load(k K) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := <-c.fill
	c.m[k] = v
	return v
}

func (c *Cache[K, V]) Delete(k K) {
	c.mu.Lock()
	delete(c.m, k)
	c.mu.Unlock()
}

// Set is a generic set whose lock is only held for O(1) work.
type Set[T comparable] struct {
	mu sync.Mutex
	m  map[T]bool
}

func (s *Set[T]) Delete(v T) {
	s.mu.Lock()
	delete(s.m, v)
	s.mu.Unlock()
}

// Entry is cached.
type Entry[K comparable, V any] struct {
	key K
	c   *Cache[K, V]
	s   *Set[K]
}

func (e *Entry[K, V]) finalize()   { e.c.Delete(e.key) }
func (e *Entry[K, V]) finalizeOK() { e.s.Delete(e.key) }

// finalizeAny is a generic finalizer.
func finalizeAny[K comparable, V any](e *Entry[K, V]) { e.c.Delete(e.key) }

func finalizeAnyOK[K comparable, V any](e *Entry[K, V]) { e.s.Delete(e.key) }

// keep is a generic finalizer helper.
func keep[T any](p *T, f func(*T)) { runtime.SetFinalizer(p, f) }

func generics(c *Cache[string, int], s *Set[string]) {
	_ = c.Load("x")
	runtime.SetFinalizer(&Entry[string, int]{c: c}, (*Entry[string, int]).finalize) // want `finalizer \(\*Entry\[.*\]\).finalize takes Cache.mu, which \(\*Cache\[.*\]\).Load \(generics.go:\d+\) holds across receive from Cache.fill`
	runtime.SetFinalizer(&Entry[string, int]{s: s}, (*Entry[string, int]).finalizeOK)
	runtime.SetFinalizer(&Entry[string, int]{c: c}, finalizeAny[string, int]) // want `finalizer finalizeAny takes Cache.mu`
	runtime.SetFinalizer(&Entry[string, int]{s: s}, finalizeAnyOK[string, int])
	keep(&Entry[string, int]{c: c}, finalizeAny[string, int]) // want `finalizer finalizeAny takes Cache.mu`
	keep(&Entry[string, int]{s: s}, finalizeAnyOK[string, int])
	keep(&Entry[int, bool]{}, func(e *Entry[int, bool]) { e.c.Delete(e.key) }) // want `finalizer generics.func1 takes Cache.mu`
	keep(&Entry[int, bool]{}, func(e *Entry[int, bool]) { e.s.Delete(e.key) })
}
