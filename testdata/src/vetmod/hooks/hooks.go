// Package hooks installs a SIGTERM handler that runs, holding its mutex,
// the shutdown callbacks its users register.
package hooks

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Group runs its callbacks when SIGTERM comes.
type Group struct {
	mu         sync.Mutex
	onShutdown []func() error
	closed     bool
}

// New returns a Group whose handler waits for SIGTERM.
func New() *Group {
	g := &Group{}
	go g.watch()
	return g
}

func (g *Group) watch() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, f := range g.onShutdown {
		_ = f()
	}
}

// OnShutdown registers f to run when SIGTERM comes. It stores f through
// an unexported helper, whose fact go vet does not pass on: its own
// summary must say that it stores f.
func (g *Group) OnShutdown(f func() error) {
	g.mu.Lock()
	g.add(f)
	g.mu.Unlock()
}

func (g *Group) add(f func() error) { g.onShutdown = append(g.onShutdown, f) }

// Close marks the group closed.
func (g *Group) Close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}
