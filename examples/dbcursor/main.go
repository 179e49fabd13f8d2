// Dbcursor shows a cursor finalizer that stalls the finalizer goroutine.
//
// A database client closes leaked cursors from a finalizer. Closing a cursor
// takes the topology mutex and then the connection pool mutex. But
// (*Pool).checkout holds the pool mutex while it waits on the free channel for
// a connection, so when the pool is exhausted the finalizer waits for as long
// as the checkout does. Go runs all finalizers on one goroutine, one after the
// other: while this one is stuck, no other finalizer in the program runs
// (including the ones that close leaked *os.File and net.Conn values).
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

type topology struct {
	mu      sync.Mutex
	primary string
}

// Client is a database client.
type Client struct {
	topo   *topology
	pool   *Pool
	nextID atomic.Int64
}

func newClient(poolSize int) *Client {
	return &Client{
		topo: &topology{primary: "db0:27017"},
		pool: newPool(poolSize),
	}
}

// Find opens a server-side cursor. A finalizer closes it once it is dropped.
func (c *Client) Find() *Cursor {
	cur := &Cursor{id: c.nextID.Add(1), client: c}
	runtime.SetFinalizer(cur, (*Cursor).finalize)
	return cur
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

var finalizerStarted, finalizerDone atomic.Bool

func (cur *Cursor) finalize() {
	finalizerStarted.Store(true)
	cur.client.closeCursor(cur.id)
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

	if !eventually(finalizerStarted.Load, 2*time.Second) {
		fmt.Println("the cursor finalizer did not run")
		os.Exit(1)
	}
	if eventually(finalizerDone.Load, 2*time.Second) {
		fmt.Println("finalizer done")
		return
	}
	fmt.Println("stalled for 2s: cursor finalizer blocked on pool.mu")
	runtime.KeepAlive(conn)
}
