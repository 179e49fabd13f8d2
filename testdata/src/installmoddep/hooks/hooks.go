// Package hooks runs its textures' release through a Context that the
// program gives it: what the finalizer waits for, only the program knows.
package hooks

import "runtime"

// A Context runs f where releasing may happen.
type Context interface {
	Do(f func())
}

var ctx Context

// Use makes c the context releasing runs in.
func Use(c Context) { ctx = c }

// A Texture is released by its finalizer.
type Texture struct{ id int }

// NewTexture returns a texture whose finalizer runs through the context.
func NewTexture() *Texture {
	t := &Texture{}
	runtime.SetFinalizer(t, (*Texture).release)
	return t
}

func (t *Texture) release() {
	ctx.Do(func() { t.id = 0 })
}
