// Package lockinfinalizer defines an Analyzer that reports waits that can
// last forever and contended locks reachable from finalizers, cleanups and
// signal handlers.
//
// # Analyzer lockinfinalizer
//
// lockinfinalizer: report waits that can last forever and contended locks in finalizers, cleanups and signal handlers
//
// One goroutine runs every finalizer of a Go program, one after the other
// (runtime/mfinal.go), and cleanups run the same way on small GOMAXPROCS.
// A finalizer that waits stalls all finalizers queued after it, including
// the ones that close leaked files and sockets. A goroutine that handles
// signals from signal.Notify and waits makes the process ignore SIGTERM:
// Notify switched off the signal's default action.
//
// A wait counts only when it can last forever. What ends a wait decides:
// time (time.Sleep, a timer or deadline in a select) never makes one; nor
// giving back the token of a channel used as a lock, nor a send that finds
// room in a buffer, nor waiting for goroutines that this code starts and
// that finish (a future, a join after closing their input, a service loop
// that answers every request) unless they can wait forever themselves. A
// partner that nothing guarantees, network I/O or a child process with no
// deadline in sight, select {} and a nil channel can last forever.
//
// Taking a mutex in a finalizer is documented practice and is not reported
// by itself. The rules are:
//
//   - blocking: a finalizer, cleanup or signal handler reaches a wait that
//     can last forever, directly or through calls.
//   - lock: it takes a lock (or the token of a channel used as one) that
//     some code holds across a wait that can last forever, or across
//     another lock that is, so the root can wait as long as that code does.
//   - cycle: the holder of such a lock waits for something only the root
//     provides, or for a goroutine that needs the lock first: a deadlock.
//   - relock: the root, or what it calls, takes a mutex it already holds on
//     the same path (the same package-level mutex, the same field of the
//     same parameter): Go mutexes are not reentrant, so it deadlocks on
//     itself. Two read locks are reported too: a writer queued between
//     them deadlocks them.
//
// A function that a package stores into a field of an exported type
// whose func values a root of an imported package calls (a shutdown hook
// registered with a library's SIGTERM handler) is checked as part of that
// root, under the locks the root holds at the call, and reported where it
// is stored.
//
// A root of another module whose hazard needs no function of the package
// (a dependency's constructor registers a finalizer that can hang) is
// reported at the package's first call that installs it, a call of a
// function of that module, with the dependency's path from that call to
// the registration in the witness. Within one module a root is reported
// at its registration only.
//
// Each rule gives one diagnostic per root: the shortest evidence in the
// message, every other lock or wait as related information.
//
// With -finalizers=inline (runtimes whose collector runs finalizers inside
// an allocation, such as llgo), every lock acquisition reachable from a
// finalizer or cleanup is reported as lock: the allocating goroutine may be
// the one holding it.
//
// Never reported: TryLock; what a goroutine started by the root does; a
// mutex stored by value in the object being finalized (nobody else can
// reach that object, so nobody else can hold its mutex); a critical section
// the root runs itself (its wait is the root's own, which blocking
// reports); a holder waiting for something the root does before it takes
// the lock (closes a quit channel, answers the holder).
//
// Example (lock):
//
//	runtime.SetFinalizer(cur, (*Cursor).finalize) // finalizer takes Pool.mu,
//	// which (*Pool).checkout holds across a receive from Pool.free
package lockinfinalizer
