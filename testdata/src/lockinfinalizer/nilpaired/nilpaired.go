// Package nilpaired holds WaitGroups whose Add and compensating Done sit
// under the same test of a variable against nil (nats-server's stream
// monitor): the Add runs when mset is not nil, the monitor goroutine
// starts, and when it did not start the Done undoes the Add, under
// !started && mset != nil. No path runs the Done without the Add, so it
// is no partner of a Wait. The twin's Done is tested on another variable:
// a path runs it with no Add, and the goroutine that runs it may never
// reach it.
package nilpaired

import (
	"runtime"
	"sync"
)

// Stream has a monitor goroutine, counted in wg, that runs until quit
// is closed.
type Stream struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	quit chan struct{}
}

// startWg counts a monitor about to start.
func (s *Stream) startWg() {
	s.mu.Lock()
	s.wg.Add(1)
	s.mu.Unlock()
}

// stop stops the monitor and waits for it.
func (s *Stream) stop() {
	close(s.quit)
	s.wg.Wait()
}

// JS starts monitors while it runs.
type JS struct {
	running bool
	streams map[string]*Stream
}

func (js *JS) spawn(f func()) bool {
	if !js.running {
		return false
	}
	go f()
	return true
}

func (js *JS) monitor(s *Stream) {
	if s != nil {
		defer s.wg.Done()
	}
	if s == nil {
		return
	}
	<-s.quit
}

// create looks the stream up, makes it if it is new, and starts its
// monitor.
func (js *JS) create(name string) {
	var s *Stream
	if name != "" {
		s = js.streams[name]
	}
	if s == nil {
		s = &Stream{quit: make(chan struct{})}
	}
	if s != nil {
		s.startWg()
	}
	started := js.spawn(func() { js.monitor(s) })
	if !started && s != nil {
		s.wg.Done() // the monitor did not start
	}
}

// Named is a stream whose monitor is started by createNamed.
type Named struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	quit chan struct{}
}

func (s *Named) startWg() {
	s.mu.Lock()
	s.wg.Add(1)
	s.mu.Unlock()
}

func (s *Named) stop() {
	close(s.quit)
	s.wg.Wait()
}

func (js *JS) monitorNamed(s *Named) {
	if s != nil {
		defer s.wg.Done()
	}
	if s == nil {
		return
	}
	<-s.quit
}

// createNamed tests another variable before its Done: with s nil and a
// name, it runs the Done with no Add.
func (js *JS) createNamed(name string, s *Named) {
	if s != nil {
		s.startWg()
	}
	started := js.spawn(func() { js.monitorNamed(s) })
	if !started && name != "" {
		s.wg.Done()
	}
}

// reset makes the stream again on a goroutine of its own (nats-server's
// resetClusteredState).
func (s *Stream) reset(js *JS) {
	go js.create("orders")
}

func (s *Named) reset(js *JS) {
	go js.createNamed("other", s)
}

// Handle owns a stream of each kind.
type Handle struct {
	s *Stream
	n *Named
}

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.s.stop() })
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.n.stop() }) // want `finalizer finalize.func2 can wait without bound.*\(\*Named\).stop \(nilpaired.go:\d+\) → \(\*sync.WaitGroup\).Wait`
}
