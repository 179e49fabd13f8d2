// Dbcursor_fixed is dbcursor with a finalizer that never waits.
//
// The cursor finalizer no longer closes the cursor itself. It appends the
// cursor id to a close queue guarded by closeMu, a leaf mutex that is never
// held across a wait, and wakes a drainer goroutine with a non-blocking send.
// The drainer takes the topology and pool mutexes. While the pool is exhausted
// and (*Pool).checkout holds the pool mutex, only the drainer waits; the
// finalizer goroutine moves on to other finalizers.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Conn is a pooled server connection.
type Conn struct{ id int }

// Pool hands out a fixed number of connections.
type Pool struct {
	mu      sync.Mutex
	free    chan *Conn
	kill    map[string][]int64 // per server: cursors to kill on the next round trip
	waiting atomic.Int32       // goroutines waiting in checkout
}

func newPool(size int) *Pool {
	p := &Pool{free: make(chan *Conn, size), kill: make(map[string][]int64)}
	for i := range size {
		p.free <- &Conn{id: i}
	}
	return p
}

// checkout returns a free connection, waiting for one if the pool is
// exhausted. It holds p.mu while it waits.
func (p *Pool) checkout() *Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiting.Add(1)
	c := <-p.free
	p.waiting.Add(-1)
	return c
}

// checkin returns a connection to the pool.
func (p *Pool) checkin(c *Conn) { p.free <- c }

type topology struct {
	mu      sync.Mutex
	primary string
}

// Client is a database client.
type Client struct {
	topo   *topology
	pool   *Pool
	nextID atomic.Int64

	closeMu  sync.Mutex // leaf: never held across a wait
	toClose  []int64
	closeReq chan struct{} // capacity 1: wakes drainCursors
}

func newClient(poolSize int) *Client {
	c := &Client{
		topo:     &topology{primary: "db0:27017"},
		pool:     newPool(poolSize),
		closeReq: make(chan struct{}, 1),
	}
	go c.drainCursors()
	return c
}

// Find opens a server-side cursor. A finalizer closes it once it is dropped.
func (c *Client) Find() *Cursor {
	cur := &Cursor{id: c.nextID.Add(1), client: c}
	runtime.SetFinalizer(cur, (*Cursor).finalize)
	return cur
}

// queueClose schedules a cursor to be closed by drainCursors. It never waits.
func (c *Client) queueClose(id int64) {
	c.closeMu.Lock()
	c.toClose = append(c.toClose, id)
	c.closeMu.Unlock()
	select {
	case c.closeReq <- struct{}{}:
	default: // a wake-up is already pending
	}
}

var cursorsClosed atomic.Int32

// drainCursors closes the cursors queued by finalizers.
func (c *Client) drainCursors() {
	for range c.closeReq {
		c.closeMu.Lock()
		ids := c.toClose
		c.toClose = nil
		c.closeMu.Unlock()
		for _, id := range ids {
			c.closeCursor(id)
			cursorsClosed.Add(1)
		}
	}
}

// closeCursor picks a server under the topology lock and queues a killCursors
// command on the pool under the pool lock.
func (c *Client) closeCursor(id int64) {
	c.topo.mu.Lock()
	defer c.topo.mu.Unlock()
	c.pool.mu.Lock()
	defer c.pool.mu.Unlock()
	c.pool.kill[c.topo.primary] = append(c.pool.kill[c.topo.primary], id)
}

// Cursor iterates over the results of a query.
type Cursor struct {
	id     int64
	client *Client
}

var finalizerDone atomic.Bool

func (cur *Cursor) finalize() {
	cur.client.queueClose(cur.id)
	finalizerDone.Store(true)
}

// eventually runs the garbage collector until cond holds or d has passed.
func eventually(cond func() bool, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
		runtime.GC()
	}
	return cond()
}

func main() {
	client := newClient(1)
	conn := client.pool.checkout() // the only connection is now in use

	// A request needs a connection: it waits, holding pool.mu.
	go client.pool.checkout()
	for client.pool.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}

	client.Find() // the cursor is dropped

	if !eventually(finalizerDone.Load, 2*time.Second) {
		fmt.Println("stalled for 2s: the cursor finalizer did not complete")
		os.Exit(1)
	}

	// The connection comes back; the waiting request releases pool.mu and the
	// drainer closes the cursor.
	client.pool.checkin(conn)
	if !eventually(func() bool { return cursorsClosed.Load() == 1 }, 2*time.Second) {
		fmt.Println("finalizer done; the drainer did not close the cursor")
		os.Exit(1)
	}
	fmt.Println("finalizer done; cursor closed by drainer")
}
