// Package gfx holds its state under one package-level mutex, which the
// finalizers of its textures take too. It runs drawing through a Context
// it is given: which one, only the program knows.
package gfx

import (
	"runtime"
	"sync"
)

// A Context runs f where drawing may happen.
type Context interface {
	Do(f func())
}

var (
	mu   sync.Mutex
	ctx  Context
	live int
)

// Use makes c the context drawing runs in.
func Use(c Context) { ctx = c }

// A Texture is released by its finalizer.
type Texture struct{ id int }

// NewTexture returns a texture whose finalizer takes mu.
func NewTexture() *Texture {
	t := &Texture{id: live}
	mu.Lock()
	live++
	mu.Unlock()
	runtime.SetFinalizer(t, (*Texture).release) // want `^finalizer \(\*Texture\)\.release takes gfx\.mu, which Draw \(gfx\.go:\d+\) holds across \(\*mainthread\.Loop\)\.Do \(gfx\.go:\d+, dynamic\) → send to Loop\.funcs \(mainthread\.go:\d+\); .* \(lockinfinalizer/lock\)$`
	return t
}

func (t *Texture) release() {
	mu.Lock()
	live--
	mu.Unlock()
}

// Draw holds mu while the context runs the drawing: what the context
// does, mu stays held across.
func Draw() {
	mu.Lock()
	defer mu.Unlock()
	ctx.Do(func() { live++ })
}

// Count counts the live textures outside the lock's wait: it copies
// what it needs under mu and runs the context after unlocking.
func Count() {
	mu.Lock()
	n := live
	mu.Unlock()
	ctx.Do(func() { _ = n })
}
