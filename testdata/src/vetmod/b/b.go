// Package b is a client between the roots in a and the pool in c.
package b

import (
	"runtime"

	"vetmod/c"
)

// Client uses a pool.
type Client struct {
	Pool  *c.Pool
	Stats *c.Stats
}

// CloseCursor releases a cursor's connection.
func (cl *Client) CloseCursor() { cl.release() }

func (cl *Client) release() { cl.Pool.Put() }

// Return counts the connection, then hands it to a waiting Checkout.
func (cl *Client) Return(c int) {
	cl.release()
	cl.Pool.Give(c)
}

// Count counts a closed cursor.
func (cl *Client) Count() { cl.Stats.Closed() }

// Flush counts a closed cursor under the stats' lock, which Count takes
// again.
func (cl *Client) Flush() {
	cl.Stats.Lock()
	defer cl.Stats.Unlock()
	cl.Count()
}

// Track registers f as the finalizer of p.
func Track[T any](p *T, f func(*T)) { runtime.SetFinalizer(p, f) }

// Ref holds a pointer.
type Ref[T any] struct{ P *T }

// Hold returns a Ref to p.
func Hold[T any](p *T) *Ref[T] { return &Ref[T]{P: p} }
