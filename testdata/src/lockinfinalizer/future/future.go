// Package future holds futures: a channel made to carry one goroutine's
// result back to the function that started it. The receive waits for what
// the goroutine does before it sends, so it is an unbounded wait only when
// that is (caddy's internal.WithBindCapability is the silent shape).
package future

import (
	"errors"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

var (
	mu      sync.Mutex // held across a future that only computes
	slowMu  sync.Mutex // held across a future that sleeps
	leakMu  sync.Mutex // held across a future that may never send
	chainMu sync.Mutex // held across a future that takes heldMu
	heldMu  sync.Mutex // held across a receive
	argMu   sync.Mutex // held across a future started with go f(ch)

	jobs = make(chan int)
)

type result struct {
	n   int
	err error
}

func work() (int, error) { return 42, nil }

// listen runs work on a goroutine of its own and waits for its result.
func listen() (int, error) {
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		n, err := work()
		if err != nil {
			ch <- result{err: err}
			return
		}
		ch <- result{n, nil}
	}()
	r := <-ch
	return r.n, r.err
}

func reload() {
	mu.Lock()
	defer mu.Unlock()
	listen()
}

func slowListen() int {
	ch := make(chan int)
	go func() {
		time.Sleep(time.Minute)
		ch <- 1
	}()
	return <-ch
}

func slowReload() {
	slowMu.Lock()
	defer slowMu.Unlock()
	slowListen()
}

// maybeListen's goroutine returns without sending when work fails: the
// receive may wait forever.
func maybeListen() int {
	ch := make(chan int, 1)
	go func() {
		n, err := work()
		if err != nil {
			return
		}
		ch <- n
	}()
	return <-ch
}

func leakReload() {
	leakMu.Lock()
	defer leakMu.Unlock()
	maybeListen()
}

func serve() {
	heldMu.Lock()
	defer heldMu.Unlock()
	<-jobs
}

func chainListen() {
	done := make(chan struct{})
	go func() {
		heldMu.Lock()
		heldMu.Unlock()
		done <- struct{}{}
	}()
	<-done
}

func chainReload() {
	chainMu.Lock()
	defer chainMu.Unlock()
	chainListen()
}

func compute(ch chan<- error) {
	if _, err := work(); err != nil {
		ch <- errors.Join(err)
		return
	}
	ch <- nil
}

func argReload() error {
	argMu.Lock()
	defer argMu.Unlock()
	ch := make(chan error, 1)
	go compute(ch)
	return <-ch
}

func trap() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c // want `signal handler trap.func1 takes future.slowMu, which slowReload \(future.go:67\) holds across slowListen \(future.go:69\) → wait for go slowListen.func1 \(future.go:63\) → time.Sleep \(future.go:60\);` `takes future.leakMu, which leakReload \(future.go:87\) holds across maybeListen \(future.go:89\) → receive from chan made at future.go:75 \(future.go:83\);` `takes future.chainMu, which chainReload \(future.go:109\) holds across chainListen \(future.go:111\) → wait for go chainListen.func1 \(future.go:105\) → future.heldMu.Lock \(future.go:101\), which serve \(future.go:93\) holds across receive from future.jobs`
		mu.Lock()
		mu.Unlock()
		argMu.Lock()
		argMu.Unlock()
		slowMu.Lock()
		slowMu.Unlock()
		leakMu.Lock()
		leakMu.Unlock()
		chainMu.Lock()
		chainMu.Unlock()
		os.Exit(0)
	}()
}

type Conn struct{ fd int }

// A finalizer that waits for a future of O(1) work does not block.
func NewConn() *Conn {
	c := &Conn{}
	runtime.SetFinalizer(c, func(c *Conn) {
		ch := make(chan int, 1)
		go func() { ch <- c.fd }()
		c.fd = <-ch
	})
	return c
}

// One whose future sleeps does.
func NewSlowConn() *Conn {
	c := &Conn{}
	runtime.SetFinalizer(c, func(c *Conn) { // want `finalizer NewSlowConn.func1 can wait without bound; .*: finalizer NewSlowConn.func1 → slowListen \(future.go:166\) → wait for go slowListen.func1 \(future.go:63\) → time.Sleep \(future.go:60\) \(lockinfinalizer/blocking\)$`
		c.fd = slowListen()
	})
	return c
}

var (
	descMu     sync.Mutex // held across a producer that only computes
	slowDescMu sync.Mutex // held across a producer that sleeps
	openDescMu sync.Mutex // held across a producer that may not close
)

// describe sends its descriptions on ch.
func describe(ch chan<- string) {
	ch <- "a"
	ch <- "b"
}

// register drains a producer goroutine (prometheus's Registry.Register).
func register() int {
	descs := make(chan string, 10)
	go func() {
		describe(descs)
		close(descs)
	}()
	defer func() {
		for range descs { // drain on an early return
		}
	}()
	n := 0
	for range descs {
		n++
	}
	return n
}

func slowRegister() int {
	descs := make(chan string, 10)
	go func() {
		defer close(descs)
		time.Sleep(time.Second)
		describe(descs)
	}()
	n := 0
	for range descs {
		n++
	}
	return n
}

func openRegister() int {
	descs := make(chan string, 10)
	go func() {
		describe(descs)
		if _, err := work(); err != nil {
			return
		}
		close(descs)
	}()
	n := 0
	for range descs {
		n++
	}
	return n
}

func reloadDescs() {
	descMu.Lock()
	register()
	descMu.Unlock()
	slowDescMu.Lock()
	slowRegister()
	slowDescMu.Unlock()
	openDescMu.Lock()
	openRegister()
	openDescMu.Unlock()
}

func trapDescs() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	<-c // want `takes future.slowDescMu, which reloadDescs \(future.go:235\) holds across slowRegister \(future.go:236\) → wait for go slowRegister.func1 \(future.go:209\) → time.Sleep \(future.go:205\);` `takes future.openDescMu, which reloadDescs \(future.go:238\) holds across openRegister \(future.go:239\) → receive from chan made at future.go:216 \(future.go:225\);`
	descMu.Lock()
	descMu.Unlock()
	slowDescMu.Lock()
	slowDescMu.Unlock()
	openDescMu.Lock()
	openDescMu.Unlock()
}
