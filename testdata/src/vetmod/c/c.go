// Package c holds a connection pool whose mutex is held across a wait.
package c

import "sync"

// Pool hands out connections.
type Pool struct {
	mu   sync.Mutex
	n    int
	free chan int
}

// NewPool returns a pool with n free connections.
func NewPool(n int) *Pool {
	p := &Pool{free: make(chan int, n)}
	for i := range n {
		p.free <- i
	}
	return p
}

// Checkout waits for a free connection while holding the pool's mutex.
func (p *Pool) Checkout() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return <-p.free
}

// Put counts a returned connection.
func (p *Pool) Put() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

// Give hands a connection to a waiting Checkout.
func (p *Pool) Give(c int) { p.free <- c }

// Stats is guarded by a mutex that no code holds across a wait.
type Stats struct {
	mu     sync.Mutex
	closed int
}

// Closed counts a closed cursor.
func (s *Stats) Closed() {
	s.mu.Lock()
	s.closed++
	s.mu.Unlock()
}

// Lock takes the stats' mutex and returns holding it.
func (s *Stats) Lock() { s.mu.Lock() }

// Unlock releases the stats' mutex.
func (s *Stats) Unlock() { s.mu.Unlock() }
