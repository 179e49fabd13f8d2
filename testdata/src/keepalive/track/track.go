// Package track has helpers that register finalizers and cleanups for
// their callers.
package track

import "runtime"

// Track sets f as the finalizer of p.
func Track[T any](p *T, f func(*T)) { runtime.SetFinalizer(p, f) }

// OnRelease adds a cleanup of ptr.
func OnRelease[T, S any](ptr *T, f func(S), arg S) runtime.Cleanup {
	return runtime.AddCleanup(ptr, f, arg)
}

// Finalize sets f as the finalizer of obj, which is any pointer.
func Finalize(obj any, f any) { runtime.SetFinalizer(obj, f) }

// Via forwards to Finalize.
func Via(obj any, f any) { Finalize(obj, f) }

// Registry registers finalizers with a method.
type Registry struct{ n int }

// Watch sets f as the finalizer of obj.
func (r *Registry) Watch(obj any, f any) {
	r.n++
	runtime.SetFinalizer(obj, f)
}

// Fixed registers a finalizer of its own: the caller gives only the
// object.
func Fixed[T any](p *T) { runtime.SetFinalizer(p, func(*T) {}) }

// Holder holds a pointer.
type Holder[T any] struct{ P *T }

// Hold returns a holder of p.
func Hold[T any](p *T) *Holder[T] { return &Holder[T]{P: p} }

// Name returns a name of p: its result holds nothing of p.
func Name[T any](p *T) *string {
	s := "x"
	return &s
}
