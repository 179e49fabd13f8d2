// Package poolfixed is the fixed twin of pool: the new set is allocated
// before the lock is taken.
package poolfixed

import (
	"runtime"
	"sync"
)

type Conn struct{ id int }

type Pool struct {
	mu    sync.Mutex
	conns map[*Conn]struct{}
}

func (p *Pool) reset() {
	conns := make(map[*Conn]struct{})
	p.mu.Lock()
	p.conns = conns
	p.mu.Unlock()
}

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
