// Poolreset_fixed is poolreset with PyMongo's fix: reset allocates the new
// set before it takes the lock.
//
// Nothing is allocated while p.mu is held, so a collector that runs
// finalizers inside an allocation (BDWGC-based runtimes such as llgo) can
// no longer run (*Cursor).finalize on the goroutine that holds p.mu, and
// finalock reports nothing here, under -finalizers=inline or the default.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Conn is a pooled server connection.
type Conn struct{ id int }

// Pool holds the connections to one server.
type Pool struct {
	mu    sync.Mutex
	conns map[*Conn]struct{}
	gen   int // bumped by every reset
}

func newPool(size int) *Pool {
	p := &Pool{conns: make(map[*Conn]struct{}, size)}
	for i := range size {
		p.conns[&Conn{id: i}] = struct{}{}
	}
	return p
}

// reset drops every connection after a network error. The new set is
// allocated before p.mu is taken.
func (p *Pool) reset() {
	conns := make(map[*Conn]struct{})
	p.mu.Lock()
	p.conns = conns
	p.gen++
	p.mu.Unlock()
}

// release forgets a connection that a cursor held.
func (p *Pool) release(c *Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// Cursor iterates over the results of a query on one connection.
type Cursor struct {
	pool *Pool
	conn *Conn
}

var released atomic.Int32

// finalize gives the connection of a dropped cursor back to the pool.
func (cur *Cursor) finalize() {
	cur.pool.release(cur.conn)
	released.Add(1)
}

// find opens a cursor; a finalizer releases it once it is dropped.
func (p *Pool) find(c *Conn) *Cursor {
	cur := &Cursor{pool: p, conn: c}
	runtime.SetFinalizer(cur, (*Cursor).finalize)
	return cur
}

func main() {
	const cursors = 100
	p := newPool(4)
	for i := range cursors {
		p.find(&Conn{id: i}) // dropped at once
	}
	deadline := time.Now().Add(5 * time.Second)
	for released.Load() < cursors && time.Now().Before(deadline) {
		runtime.GC()
		p.reset()
		time.Sleep(time.Millisecond)
	}
	fmt.Printf("%d of %d cursor finalizers ran with reset allocating before it takes the pool lock\n", released.Load(), cursors)
}
