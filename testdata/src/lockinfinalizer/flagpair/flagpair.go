// Package flagpair holds WaitGroups whose Done runs under a flag that
// records the Add (nats-server's consumer monitor): the Done is skipped
// only when nothing was added, so a Wait for goroutines whose work is
// finite is bounded. The twins set or clear the flag without the
// WaitGroup: then the Done may be skipped while an Add is outstanding.
package flagpair

import (
	"runtime"
	"sync"
	"time"
)

// Monitor runs one monitor goroutine at a time.
type Monitor struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	running bool
}

func (m *Monitor) shouldStart() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.running {
		return false
	}
	m.running = true
	m.wg.Add(1)
	return true
}

func (m *Monitor) clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.running {
		m.wg.Done()
		m.running = false
	}
}

func (m *Monitor) start() {
	if m.shouldStart() {
		go func() {
			defer m.clear()
			time.Sleep(time.Millisecond) // finite work
		}()
	}
}

// Stop joins the monitor.
func (m *Monitor) Stop() {
	m.wg.Wait()
}

// Loose is Monitor with a second way to set the flag, without an Add.
type Loose struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	running bool
}

func (l *Loose) shouldStart() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running {
		return false
	}
	l.running = true
	l.wg.Add(1)
	return true
}

func (l *Loose) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running {
		l.wg.Done()
		l.running = false
	}
}

func (l *Loose) start() {
	if l.shouldStart() {
		go func() {
			defer l.clear()
			time.Sleep(time.Millisecond) // finite work
		}()
	}
}

// reset clears the flag while a monitor may run: its Done is skipped.
func (l *Loose) reset() {
	l.mu.Lock()
	l.running = false
	l.mu.Unlock()
}

// Stop joins the monitor.
func (l *Loose) Stop() {
	l.wg.Wait()
}

// Handle owns a monitor and a loose one.
type Handle struct {
	m *Monitor
	l *Loose
}

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.m.Stop() })
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.l.Stop() }) // want `finalizer finalize.func2 can wait without bound.*\(\*Loose\).Stop \(flagpair.go:\d+\) → \(\*sync.WaitGroup\).Wait`
}
