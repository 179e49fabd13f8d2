// Package compensate holds WaitGroups whose Add is undone by a Done in
// the same function when the goroutine it counts does not start
// (nats-server's raft node: n.wg.Add(1); if !s.startGoRoutine(n.run) {
// n.wg.Done() }). That Done is no partner of a Wait: the goroutine
// started instead is. The twins wait for goroutines told nothing, or
// for a goroutine whose Done is only on some paths.
package compensate

import (
	"runtime"
	"sync"
)

var closing bool

// spawn starts f unless the program is closing.
func spawn(f func()) bool {
	if closing {
		return false
	}
	go f()
	return true
}

// Node runs its loop until quit is closed.
type Node struct {
	wg   sync.WaitGroup
	quit chan struct{}
	ok   bool
}

func newNode() *Node {
	n := &Node{quit: make(chan struct{})}
	n.wg.Add(1)
	if !spawn(n.run) {
		n.wg.Done() // the loop did not start
	}
	return n
}

func (n *Node) run() {
	defer n.wg.Done()
	<-n.quit
}

// register counts the loop about to start.
func (n *Node) register() { n.wg.Add(1) }

// newRegistered adds through a method of the node before the start.
func newRegistered() *Node {
	n := &Node{quit: make(chan struct{})}
	n.register()
	if !spawn(n.run) {
		n.wg.Done() // the loop did not start
	}
	return n
}

// Server starts its node on a goroutine, which runs the Done that
// undoes an Add: it counts for nothing.
type Server struct {
	mu   sync.Mutex
	node *Node
}

func (s *Server) startNode() {
	go func() {
		n := newNode()
		s.mu.Lock()
		s.node = n
		s.mu.Unlock()
	}()
	go func() {
		n := newRegistered()
		s.mu.Lock()
		s.node = n
		s.mu.Unlock()
	}()
}

// Delete stops the loop and joins it.
func (n *Node) Delete() {
	close(n.quit)
	n.wg.Wait()
}

// Join joins the loop without stopping it: the twin.
func (n *Node) Join() {
	n.wg.Wait()
}

// Group's goroutine marks the WaitGroup done on some paths only.
type Group struct {
	wg   sync.WaitGroup
	quit chan struct{}
	ok   bool
}

func newGroup() *Group {
	g := &Group{quit: make(chan struct{})}
	g.wg.Add(1)
	go func() {
		<-g.quit
		if g.ok {
			g.wg.Done()
		}
	}()
	return g
}

// Close stops the goroutine and waits for a Done that may not come.
func (g *Group) Close() {
	close(g.quit)
	g.wg.Wait()
}

// Handle owns a node and a group.
type Handle struct {
	n *Node
	g *Group
}

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.n.Delete() })
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.n.Join() })  // want `finalizer finalize.func2 can wait without bound.*\(\*Node\).Join \(compensate.go:\d+\) → \(\*sync.WaitGroup\).Wait, waiting for go \(\*Node\).run .*receive from Node.quit`
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.g.Close() }) // want `finalizer finalize.func3 can wait without bound.*\(\*Group\).Close \(compensate.go:\d+\) → \(\*sync.WaitGroup\).Wait`
}
