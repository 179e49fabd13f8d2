// Package allocunderlock defines an Analyzer that reports allocations made
// while holding a lock that a finalizer or cleanup takes, for Go runtimes
// whose collector runs finalizers inside an allocation.
//
// # Analyzer allocunderlock
//
// allocunderlock: report allocations under a lock that a finalizer or cleanup takes (-finalizers=inline only)
//
// Under -finalizers=goroutine, the default, it reports nothing: the gc
// runtime only queues a finalizer or cleanup when it frees an object
// (runtime/mheap.go freeSpecial → queuefinalizer) and runs it on its own
// goroutine, so a finalizer that needs a lock held by an allocating
// goroutine just waits until the critical section ends. The deadlock needs
// a collector that runs finalizers inside the allocation, on the allocating
// thread, as BDWGC-based runtimes such as llgo do (xgo-dev/llgo#2481,
// #2587), which is what -finalizers=inline selects.
//
// Under -finalizers=inline it reports, once per critical section, an
// allocation made while holding a lock class that some finalizer or cleanup
// of the package or of a package it imports acquires, directly or through
// any number of calls and packages (rule alloc). The collector may run that
// finalizer inside the allocation, on the goroutine that holds the lock, and
// the finalizer then waits for a lock its own thread holds: the Python/PyPy
// deadlock of a __del__ that takes a lock.
//
// The diagnostic is at the section's first allocation. It names the lock,
// the finalizer or cleanup that takes it with its registration site and the
// path from it to the lock, and how many other allocations the section has.
// When the section and the finalizer both only read-lock a sync.RWMutex, it
// says that the finalizer waits once a writer is queued.
// Allocations are new, composite literals and variables that escape to the
// heap, make of a slice, map or channel, append, map insertion, closures
// that capture variables, boxing a non-pointer value into an interface,
// string concatenation, string/[]byte conversions, and calls that do one of
// these, however deep. A section spans functions: a lock helper that returns
// holding the lock, a deferred unlock, an unlock helper.
//
// Not reported: a lock that only signal handlers share (Go runs them as
// ordinary goroutines on every runtime); a mutex stored by value in the
// object being finalized, which nobody else can hold once the object is
// unreachable.
//
// Every append counts as an allocation, even one that fits in its slice's
// capacity: proving that it fits needs a slice whose length and capacity
// are constants at the append, which shared state under a lock almost
// never has. An allocation without a position of its own (an implicit
// conversion to an interface) is reported at the lock. Only finalizers and
// cleanups registered in the package or in the packages it imports are
// seen; for one registered in an imported package the diagnostic names no
// registration site.
//
// Suggested fix: the PyMongo one, allocate before taking the lock. It is
// offered when the first allocation is a make, a new or a composite literal
// whose operands are constants, types, or local variables set before the
// lock and not changed inside the section, in a plain statement of the
// block that takes the lock. A declaration "x := make(...)" moves as a
// whole; otherwise the value goes to a new variable declared just before
// the lock statement.
//
// Example:
//
//	p.mu.Lock()
//	p.conns = make(map[*Conn]struct{}) // reported here
//	p.mu.Unlock()
//
//	make(map[*Conn]struct{}) while holding Pool.mu (locked at pool.go:21)
//	can deadlock under finalizers=inline: the collector may run finalizer
//	(*Cursor).finalize (registered at pool.go:42) inside this allocation,
//	and it takes Pool.mu; no other allocation in this section: finalizer
//	(*Cursor).finalize → (*Pool).release (pool.go:38) → Pool.mu.Lock (pool.go:28)
//
// Fixed:
//
//	conns := make(map[*Conn]struct{})
//	p.mu.Lock()
//	p.conns = conns
//	p.mu.Unlock()
package allocunderlock
