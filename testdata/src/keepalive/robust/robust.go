// Package robust has odd shapes that must neither crash the pass nor be
// reported wrongly.
package robust

import (
	"runtime"
	"unsafe"
)

type node struct {
	next *node
	val  int
}

// A cycle of stores between two other objects.
func Cycle() *node {
	n := &node{}
	a, b := &node{}, &node{}
	a.next, b.next = b, a
	runtime.SetFinalizer(n, func(*node) { _ = a.val })
	return n
}

// A cycle through the object itself.
func SelfCycle() *node {
	n := &node{}
	a := &node{next: n}
	n.next = a
	runtime.SetFinalizer(n, func(*node) { _ = a.val }) // want `finalizer never runs: SelfCycle.func1 captures a, and a.next points back to obj`
	return n
}

// A generic object.
func Generic[T any](v *T) {
	runtime.AddCleanup(v, func(int) {}, 0)
	runtime.AddCleanup(v, func(p *T) {}, v) // want `cleanup never runs: arg is ptr`
}

// A generic holder.
type Box[T any] struct{ p *T }

func GenericHolder[T any](v *T) {
	b := &Box[T]{p: v}
	runtime.AddCleanup(v, func(b *Box[T]) {}, b) // want `cleanup never runs: arg.p points back to ptr`
}

// A recursive closure.
func Recursive() *node {
	n := &node{}
	var walk func(k *node)
	walk = func(k *node) {
		if k != nil {
			walk(k.next)
		}
	}
	runtime.SetFinalizer(n, func(n *node) { walk(n) })
	return n
}

// A loop of φ-nodes.
func Loop(xs []*node) {
	var prev *node
	for _, x := range xs {
		if prev != nil {
			runtime.SetFinalizer(x, func(*node) { _ = prev })
		}
		prev = x
	}
}

// unsafe.Pointer in the argument is a reference.
func Unsafe() *node {
	n := &node{}
	runtime.AddCleanup(n, func(unsafe.Pointer) {}, unsafe.Pointer(n)) // want `cleanup never runs: arg is ptr`
	return n
}

// The finalizer is a parameter: nothing known.
func Param(n *node, f func(*node)) {
	runtime.SetFinalizer(n, f)
}

// A nil object.
func Nil() {
	runtime.SetFinalizer((*node)(nil), func(*node) {})
}

// An object in an array element that the closure captures.
func Array() {
	var all [2]*node
	all[0] = &node{}
	runtime.SetFinalizer(all[0], func(*node) { _ = all[1] }) // want `finalizer never runs: Array.func1 captures all, and all\[…\] points back to obj`
}

// A suppressed finding.
func Ignored() *node {
	n := &node{}
	runtime.AddCleanup(n, func(*node) {}, n) //finalock:ignore keepalive the runtime's panic is what this tests
	return n
}
