// Package xb is a client built on xc's pool.
package xb

import "lockinfinalizer/xc"

// Client uses a pool.
type Client struct {
	pool *xc.Pool
}

// Close releases the client's connection.
func (c *Client) Close() { c.pool.Release() }

// Stats reads the pool's counter.
func (c *Client) Stats() int { return c.pool.Stat() }

// Next waits for a connection.
func (c *Client) Next() int { return c.pool.Get() }

// Unregister forgets the client's pool.
func (c *Client) Unregister() { forget(c) }

func forget(c *Client) { xc.Forget(c.pool) }

// Shutdown closes the pool.
func (c *Client) Shutdown() { c.pool.Shutdown() }

// Touch reads the pool's counter, for cleanups.
func (c *Client) Touch() { _ = c.pool.Stat() }

// Closer is implemented by Client.
type Closer interface{ Close() }
