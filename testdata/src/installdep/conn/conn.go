// Package conn is a dependency whose constructors register finalizers:
// New's takes a lock that Serve holds across a wait that can last
// forever, Dial's waits itself, Quiet's waits only a bounded time.
package conn

import (
	"runtime"
	"sync"
	"time"
)

var (
	mu      sync.Mutex
	reqs    = make(chan int)
	closing = make(chan int)
	quietMu sync.Mutex
)

// Serve holds mu across a receive that no goroutine is bound to answer.
func Serve() {
	mu.Lock()
	defer mu.Unlock()
	<-reqs
}

// Conn is a connection with a finalizer.
type Conn struct{ fd int }

// New returns a Conn whose finalizer takes mu.
func New() *Conn {
	c := &Conn{}
	runtime.SetFinalizer(c, (*Conn).finalize) // want `finalizer \(\*Conn\)\.finalize takes conn\.mu, which Serve`
	return c
}

func (c *Conn) finalize() {
	mu.Lock()
	c.fd = -1
	mu.Unlock()
}

// Dialer is a dialer whose finalizer reports its closing.
type Dialer struct{ id int }

// Dial returns a Dialer whose finalizer sends on a channel that nobody
// is bound to receive from.
func Dial() *Dialer {
	d := &Dialer{}
	runtime.SetFinalizer(d, func(d *Dialer) { closing <- d.id }) // want `finalizer Dial\.func1 can wait without bound`
	return d
}

// Quiet returns a value whose finalizer sleeps, takes a lock that no
// code holds across a wait, and waits for a timer: every wait bounded.
func Quiet() *Conn {
	c := &Conn{}
	runtime.SetFinalizer(c, func(c *Conn) {
		time.Sleep(time.Millisecond)
		quietMu.Lock()
		c.fd = 0
		quietMu.Unlock()
		select {
		case <-reqs:
		case <-time.After(time.Second):
		}
	})
	return c
}

// Joined returns a value whose finalizer joins a goroutine that
// finishes.
func Joined() *Conn {
	c := &Conn{}
	runtime.SetFinalizer(c, func(c *Conn) {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.fd = 1
		}()
		wg.Wait()
	})
	return c
}

// Pooled returns a Conn whose finalizer takes mu; its maintainers judged
// that harmless and said so at the registration.
func Pooled() *Conn {
	c := &Conn{}
	//finalock:ignore lock Serve runs only before any Conn is pooled
	runtime.SetFinalizer(c, (*Conn).finalize)
	return c
}
