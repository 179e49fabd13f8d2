package robust

import (
	"runtime"
	"sync"
)

// Node is a tree whose walks lock every node, recursively.
type Node struct {
	mu       sync.Mutex
	children []*Node
	updates  chan int
	n        int
}

// even and odd lock through mutual recursion.
func (n *Node) even(d int) {
	if d == 0 {
		n.mu.Lock()
		n.n++
		n.mu.Unlock()
		return
	}
	n.odd(d - 1)
}

func (n *Node) odd(d int) {
	for _, c := range n.children {
		c.even(d)
	}
}

// watch holds the lock across a receive, deep in a recursion.
func (n *Node) watch(d int) {
	if d > 0 {
		n.watchChildren(d - 1)
		return
	}
	n.mu.Lock()
	n.n += <-n.updates
	n.mu.Unlock()
}

func (n *Node) watchChildren(d int) {
	for _, c := range n.children {
		c.watch(d)
	}
}

// Leaf has a lock that is only held for O(1) work, also recursively.
type Leaf struct {
	mu   sync.Mutex
	next *Leaf
	n    int
}

func (l *Leaf) ping(d int) {
	if d == 0 {
		l.mu.Lock()
		l.n++
		l.mu.Unlock()
		return
	}
	l.next.pong(d - 1)
}

func (l *Leaf) pong(d int) { l.ping(d) }

// self recurses on itself while it holds no lock.
func self(d int) int {
	if d == 0 {
		return 0
	}
	return self(d-1) + 1
}

type Tree struct {
	root *Node
	leaf *Leaf
}

func recursion() {
	runtime.SetFinalizer(&Tree{}, func(t *Tree) { t.root.even(3) }) // want `finalizer recursion.func1 takes Node.mu, which \(\*Node\).watch \(recursion.go:\d+\) holds across receive from Node.updates`
	runtime.SetFinalizer(&Tree{}, func(t *Tree) { t.leaf.ping(3); _ = self(3) })
}
