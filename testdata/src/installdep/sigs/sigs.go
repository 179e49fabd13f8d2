// Package sigs is a dependency that installs signal handlers: Handle's
// takes a lock that Serve holds across a wait that can last forever,
// Exit's only exits.
package sigs

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

var (
	mu   sync.Mutex
	reqs = make(chan int)
)

// Serve holds mu across a receive nobody is bound to answer.
func Serve() {
	mu.Lock()
	defer mu.Unlock()
	<-reqs
}

// Handle installs a handler of SIGTERM that takes mu.
func Handle() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	go func() {
		<-c // want `signal handler Handle\.func1 takes sigs\.mu`
		mu.Lock()
		mu.Unlock()
		os.Exit(0)
	}()
}

// Exit installs a handler of SIGINT that exits at once.
func Exit() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGINT)
	go func() {
		<-c
		os.Exit(1)
	}()
}
