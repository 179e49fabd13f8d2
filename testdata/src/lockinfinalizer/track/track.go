// Package track registers finalizers and cleanups on behalf of its callers.
package track

import "runtime"

// Object is a tracked object.
type Object struct {
	Done chan struct{}
}

// Track sets f as p's finalizer.
func Track(p *Object, f func(*Object)) {
	runtime.SetFinalizer(p, f)
}

// TrackAny is a generic Track.
func TrackAny[T any](p *T, f func(*T)) {
	runtime.SetFinalizer(p, f)
}

// OnRelease adds a cleanup for p that calls f with arg.
func OnRelease[A any](p *Object, f func(A), arg A) {
	addCleanup(p, f, arg)
}

// addCleanup forwards to runtime.AddCleanup: the exported OnRelease
// forwards through it.
func addCleanup[A any](p *Object, f func(A), arg A) {
	runtime.AddCleanup(p, f, arg)
}

// Registrar registers finalizers through a method.
type Registrar struct{ n int }

// Watch sets f as p's finalizer.
func (r *Registrar) Watch(p *Object, f func(*Object)) {
	r.n++
	r.watch(p, f)
}

func (r *Registrar) watch(p *Object, f func(*Object)) {
	runtime.SetFinalizer(p, f)
}

// Holder holds an object.
type Holder struct{ P *Object }

// Hold returns a holder of p: its result holds p.
func Hold(p *Object) *Holder { return &Holder{P: p} }
