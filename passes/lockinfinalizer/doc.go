// Package lockinfinalizer defines an Analyzer that reports waits and lock
// acquisitions reachable from finalizers, cleanups and signal handlers that
// can wait without bound.
//
// # Analyzer lockinfinalizer
//
// lockinfinalizer: report unbounded waits and contended locks in finalizers, cleanups and signal handlers
//
// One goroutine runs every finalizer of a Go program, one after the other
// (runtime/mfinal.go), and cleanups run the same way on small GOMAXPROCS.
// A finalizer that waits stalls all finalizers queued after it, including
// the ones that close leaked files and sockets. A goroutine that handles
// signals from signal.Notify and waits makes the process ignore SIGTERM:
// Notify switched off the signal's default action.
//
// Taking a mutex in a finalizer is documented practice and is not reported
// by itself. The rules are:
//
//   - blocking: a finalizer or cleanup reaches an unbounded wait: a channel
//     send or receive outside a select with default, a select without
//     default, sync.WaitGroup.Wait, sync.Cond.Wait, time.Sleep, or
//     exec.Cmd.Wait/Run/Output/CombinedOutput. Not reported for signal
//     handlers, whose shutdown waits by design.
//   - lock: a finalizer, cleanup or signal handler takes a lock that some
//     code holds across an unbounded wait (or across another lock that is
//     held across one), so the root can wait as long as that code does.
//   - cycle: the holder of such a lock waits on a channel whose partner is
//     the root itself: a deadlock, not a stall.
//
// With -finalizers=inline (runtimes whose collector runs finalizers inside
// an allocation, such as llgo), every lock acquisition reachable from a
// finalizer or cleanup is reported as lock: the allocating goroutine may be
// the one holding it.
//
// Never reported: TryLock; what a goroutine started by the root does; a
// mutex stored by value in the object being finalized (nobody else can
// reach that object, so nobody else can hold its mutex).
//
// A receive that waits for a goroutine to finish its work (a future: the
// goroutine sends its result, or closes the channel, on every path; a
// join: "close(stop); <-done" where only a goroutine watching stop closes
// done) waits for what that goroutine does, and is judged by it. A
// one-slot channel used as a mutex is a lock: primed with one value, a
// receive takes the token; left empty, a send takes it (some function
// receives after it sends, and no receive keeps the value). Taking the
// token is judged like Lock. A send on a buffered channel that gets one
// value in its life does not wait: a reply channel (of a package-private
// type received from once by its maker, or in an unexported field that only
// its makers receive from and one place sends on) or a stop signal sent
// once under a flag that is never cleared. A critical section the root runs
// itself is not evidence: for a signal handler it is its own shutdown
// waiting by design, for a finalizer or cleanup its own wait, which the
// blocking rule reports. Nor is a section whose wait is a select that a
// channel the root closes before it takes the lock ends.
//
// Example (lock):
//
//	runtime.SetFinalizer(cur, (*Cursor).finalize) // finalizer takes Pool.mu,
//	// which (*Pool).checkout holds across a receive from Pool.free
package lockinfinalizer
