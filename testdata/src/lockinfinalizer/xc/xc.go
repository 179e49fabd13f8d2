// Package xc owns a connection pool whose lock is held across waits.
package xc

import "sync"

// Pool hands out connections.
type Pool struct {
	mu     sync.Mutex // held across <-free in Get
	small  sync.Mutex // held for O(1) work only
	free   chan int
	closed chan struct{}
	n      int
}

// Get waits for a free connection, holding mu.
func (p *Pool) Get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return <-p.free
}

// Put returns a connection.
func (p *Pool) Put() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

// Release takes mu through an unexported callee.
func (p *Pool) Release() { p.release() }

func (p *Pool) release() {
	p.mu.Lock()
	p.n--
	p.mu.Unlock()
}

// Stat takes only the small lock, through an unexported callee.
func (p *Pool) Stat() int { return p.stat() }

func (p *Pool) stat() int {
	p.small.Lock()
	defer p.small.Unlock()
	return p.n
}

// Shutdown marks the pool closed, then tells Drain. It is exported: a
// finalizer that calls it is not the only code that can end Drain's wait,
// so a finalizer waiting for Drain's lock is a lock finding, not a cycle.
func (p *Pool) Shutdown() {
	p.release()
	close(p.closed)
}

// Drain holds mu until the pool is closed.
func (p *Pool) Drain() {
	p.mu.Lock()
	<-p.closed
	p.mu.Unlock()
}

var (
	registryMu sync.Mutex
	registry   = map[*Pool]bool{}
	changes    = make(chan *Pool)
)

// Watch records pools as they change, holding registryMu across the
// receive (in an unexported function).
func Watch() { watch() }

func watch() {
	registryMu.Lock()
	defer registryMu.Unlock()
	for p := range changes {
		registry[p] = true
	}
}

// Forget removes p from the registry.
func Forget(p *Pool) {
	registryMu.Lock()
	delete(registry, p)
	registryMu.Unlock()
}
