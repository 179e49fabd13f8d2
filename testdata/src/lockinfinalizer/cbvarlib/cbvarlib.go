// Package cbvarlib installs a SIGTERM handler that runs the callbacks
// its users put into package-level variables, the way caddy's OnExit
// keeps them: the library of a cross-package callback test. Nothing
// here is a hazard on its own; cbvarapp's callbacks are.
package cbvarlib

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

var (
	mu sync.Mutex
	n  int
	// hooks run when SIGTERM comes, under mu; OnExit registers them.
	hooks []func()
	// OnStop runs after the hooks, with no lock held.
	OnStop func()
	// Later runs in Flush, which no root calls.
	Later []func()
	// counters run under mu too, but only cbvarlib sets them: no other
	// package can store into them.
	counters []func()
)

var (
	safeMu sync.Mutex
	// safeHooks are copied under safeMu and run after it is released.
	safeHooks []func()
)

func init() {
	counters = append(counters, count)
}

func count() { n++ }

// OnExit registers f to run when SIGTERM comes.
func OnExit(f func()) {
	mu.Lock()
	hooks = append(hooks, f)
	mu.Unlock()
}

// OnSafeExit registers f to run when SIGTERM comes, after the handler
// released safeMu.
func OnSafeExit(f func()) {
	safeMu.Lock()
	safeHooks = append(safeHooks, f)
	safeMu.Unlock()
}

// Trap starts the SIGTERM handler.
func Trap() {
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM)
		<-ch
		exit()
	}()
}

func exit() {
	mu.Lock()
	for _, f := range hooks {
		f()
	}
	for _, f := range counters {
		f()
	}
	mu.Unlock()
	if OnStop != nil {
		OnStop()
	}
	safeMu.Lock()
	fs := append([]func(){}, safeHooks...)
	safeMu.Unlock()
	for _, f := range fs {
		f()
	}
}

// Count counts under mu.
func Count() {
	mu.Lock()
	n++
	mu.Unlock()
}

// SafeCount counts under safeMu.
func SafeCount() {
	safeMu.Lock()
	n++
	safeMu.Unlock()
}

// Flush runs the Later callbacks.
func Flush() {
	for _, f := range Later {
		f()
	}
}
