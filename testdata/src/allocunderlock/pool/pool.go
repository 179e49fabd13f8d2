// Package pool is the PyMongo Pool.reset scenario: the pool's set of
// connections is replaced under the pool lock, and a cursor finalizer
// returns its connection under the same lock.
package pool

import (
	"runtime"
	"sync"
)

type Conn struct{ id int }

type Pool struct {
	mu    sync.Mutex
	conns map[*Conn]struct{}
}

// reset drops every connection: the new set is allocated while p.mu is
// held.
func (p *Pool) reset() {
	p.mu.Lock()
	p.conns = make(map[*Conn]struct{}) // want `^make\(map\[\*Conn\]struct\{\}\) while holding Pool\.mu \(locked at pool\.go:21\) can deadlock under finalizers=inline: the collector may run finalizer \(\*Cursor\)\.finalize \(registered at pool\.go:42\) inside this allocation, and it takes Pool\.mu; no other allocation in this section: finalizer \(\*Cursor\)\.finalize → \(\*Pool\)\.release \(pool\.go:38\) → Pool\.mu\.Lock \(pool\.go:28\) \(allocunderlock/alloc\)$`
	p.mu.Unlock()
}

// release forgets a connection; it does not allocate.
func (p *Pool) release(c *Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

type Cursor struct {
	pool *Pool
	conn *Conn
}

func (cur *Cursor) finalize() { cur.pool.release(cur.conn) }

func (p *Pool) Find(c *Conn) *Cursor {
	cur := &Cursor{pool: p, conn: c}
	runtime.SetFinalizer(cur, (*Cursor).finalize)
	return cur
}
