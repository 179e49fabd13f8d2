// Package cblib installs a SIGTERM handler that runs the callbacks its
// users give it: the library of a cross-package callback test. Nothing
// here is a hazard on its own; cbapp's callbacks are.
package cblib

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Lib runs its shutdown callbacks when SIGTERM comes, holding its mutex.
type Lib struct {
	mu         sync.Mutex
	onShutdown []func() error
	n          int
	// Hooks run after the shutdown callbacks, under the mutex too.
	Hooks []func()
	// Hook runs last, under the mutex.
	Hook func()
	// Later runs in Flush, which no root calls.
	Later []func()
	// OnDrain runs in Drain, which cbapp's signal handler calls.
	OnDrain []func()
	// counters run under the mutex too, but only cblib sets them: no
	// other package can store into them.
	counters []func()
}

// New returns a Lib whose handler waits for SIGTERM.
func New() *Lib {
	l := &Lib{}
	l.counters = append(l.counters, l.count)
	go l.watch()
	return l
}

func (l *Lib) count() { l.n++ }

func (l *Lib) watch() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	l.shutdown()
}

func (l *Lib) shutdown() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range l.onShutdown {
		_ = f()
	}
	for _, f := range l.Hooks {
		f()
	}
	if l.Hook != nil {
		l.Hook()
	}
	for _, f := range l.counters {
		f()
	}
}

// OnShutdown registers f to run when SIGTERM comes.
func (l *Lib) OnShutdown(f func() error) {
	l.mu.Lock()
	l.add(f)
	l.mu.Unlock()
}

func (l *Lib) add(f func() error) { l.onShutdown = append(l.onShutdown, f) }

// Close counts a closed user under the mutex.
func (l *Lib) Close() {
	l.mu.Lock()
	l.n++
	l.mu.Unlock()
}

// Flush runs the Later callbacks.
func (l *Lib) Flush() {
	for _, f := range l.Later {
		f()
	}
}

// Drain runs the OnDrain callbacks.
func (l *Lib) Drain() {
	for _, f := range l.OnDrain {
		f()
	}
}

// Safe copies its callbacks under its mutex and runs them after it
// released it.
type Safe struct {
	mu    sync.Mutex
	hooks []func()
	n     int
}

// NewSafe returns a Safe whose handler waits for SIGTERM.
func NewSafe() *Safe {
	s := &Safe{}
	go s.watch()
	return s
}

func (s *Safe) watch() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	s.mu.Lock()
	hooks := append([]func(){}, s.hooks...)
	s.mu.Unlock()
	for _, f := range hooks {
		f()
	}
}

// Add registers fs to run when SIGTERM comes.
func (s *Safe) Add(fs ...func()) {
	s.mu.Lock()
	s.hooks = append(s.hooks, fs...)
	s.mu.Unlock()
}

// Close counts a closed user under the mutex.
func (s *Safe) Close() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}
