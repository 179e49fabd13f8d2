// Poolreset shows PyMongo's Pool.reset deadlock, which the gc runtime does
// not have.
//
// A connection pool keeps its connections in a set guarded by p.mu, and
// reset replaces the set under p.mu. A cursor finalizer gives its connection
// back, which takes p.mu too. In PyPy the collector runs __del__ inside an
// allocation, so the allocation in reset could run the finalizer on the
// thread that holds p.mu, and the finalizer waited for p.mu forever.
//
// Go runtimes built on the Boehm collector (BDWGC, as in llgo) can do the
// same: they run finalizers inside an allocation. Under -finalizers=inline
// finalock reports the make in reset, the allocation made while holding the
// lock that (*Cursor).finalize takes. On gc the sweeper only queues the
// finalizer and it runs on its own goroutine, so it waits until reset
// unlocks and this program finishes.
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
// allocated while p.mu is held.
func (p *Pool) reset() {
	p.mu.Lock()
	p.conns = make(map[*Conn]struct{})
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
	fmt.Printf("%d of %d cursor finalizers ran while reset allocated under the pool lock: no deadlock, finalizers run on their own goroutine\n", released.Load(), cursors)
}
