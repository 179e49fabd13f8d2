package analyzer

import "fmt"

// An Op is one operation that a function performs, directly or through the
// functions it calls: a lock acquisition, an unbounded wait, a channel
// operation, an allocation or a goroutine start.
//
// Ops are stored in facts, so they hold only flat, deterministic data:
// strings, integers and booleans.
type Op struct {
	// Kind says what the operation is (see the Kind constants).
	Kind Kind
	// What names the operation for people, e.g. "Pool.mu.Lock" or
	// "receive from Pool.free".
	What string
	// Class is the lock class or channel class the operation acts on
	// ("example.com/db.Pool.mu"), or "" when it is unknown.
	Class string
	// Param is the index of the parameter (receiver first) the lock or
	// channel is reached from, or -1.
	Param int
	// ByValue reports that the lock is stored by value inside the object
	// that parameter Param points to (reached through field selections
	// only, with no pointer loaded on the way).
	ByValue bool
	// Dynamic reports that the path to the operation includes a dynamic
	// call that the call graph resolved.
	Dynamic bool
	// Chain is the witness: the hops from the function to the operation,
	// each "name (file.go:line)", the operation itself last.
	Chain []string
	// Quit lists, for a wait in a select, the classes of the channels
	// that select also receives from, sorted: closing one of them ends
	// the wait.
	Quit []string
}

// Kind classifies an Op.
type Kind uint8

// The kinds of Op.
const (
	KindLock   Kind = iota + 1 // Lock of a sync.Mutex or sync.RWMutex
	KindRLock                  // RLock of a sync.RWMutex
	KindWait                   // an unbounded wait (no channel involved)
	KindSend                   // a channel send outside a select with default
	KindRecv                   // a channel receive outside a select with default
	KindSelect                 // a select without default
	KindClose                  // close of a channel (a partner, never a wait)
	KindAlloc                  // a heap allocation
	KindGo                     // a goroutine start
	KindToken                  // a receive from a token channel (a one-slot channel used as a mutex)
)

var kindNames = [...]string{"", "lock", "rlock", "wait", "send", "recv", "select", "close", "alloc", "go", "token"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Waits reports whether an operation of kind k can wait without bound.
func (k Kind) Waits() bool {
	return k == KindWait || k == KindSend || k == KindRecv || k == KindSelect
}

// Summary is the fact finalock exports for a function: what calling the
// function may do, transitively closed over everything it calls, so that
// the fact of an exported function is complete on its own even where the
// facts of the functions it calls do not travel.
type Summary struct {
	// Locks holds one Op per lock class (and parameter path) acquired.
	Locks []Op
	// Waits holds the unbounded waits, shortest witness first.
	Waits []Op
	// Chans holds the channel operations on known channel classes.
	Chans []Op
	// Alloc is the first allocation, if the function allocates.
	Alloc []Op
	// Go is the first goroutine start, if the function starts one.
	Go []Op
	// Holds lists the locks the function returns still holding (a lock
	// helper), by class and parameter path.
	Holds []Op
	// Releases lists the locks the function releases without acquiring
	// them (an unlock helper).
	Releases []Op
	// Finalizes lists the parameters whose value reaches the function
	// argument of runtime.SetFinalizer ("finalizer") or runtime.AddCleanup
	// ("cleanup"), as Ops with Kind 0, What the root kind and Param set.
	Finalizes []Op
	// Fds lists the file descriptors the function creates with flags
	// taken from a parameter, without marking them close-on-exec: a
	// caller that passes flags without the close-on-exec bit leaks them.
	Fds []FdWrapper
}

// An FdWrapper says that a function creates file descriptors with a
// system call whose flags come from one of its parameters.
type FdWrapper struct {
	Param int      // the parameter holding the flags
	Call  string   // the fd-creating call, "unix.Open"
	Pkg   string   // the package of that call, "golang.org/x/sys/unix"
	Flag  string   // the flag that sets close-on-exec, "O_CLOEXEC"
	Bit   int64    // the flag's value on the GOOS analysed
	Pair  bool     // the call creates two descriptors
	Chain []string // the witness, from the function to the call
}

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	return fmt.Sprintf("summary(locks=%d waits=%d chans=%d alloc=%t go=%t holds=%d releases=%d finalizes=%d)",
		len(s.Locks), len(s.Waits), len(s.Chans), len(s.Alloc) > 0, len(s.Go) > 0,
		len(s.Holds), len(s.Releases), len(s.Finalizes))
}

func (s *Summary) empty() bool {
	return len(s.Locks)+len(s.Waits)+len(s.Chans)+len(s.Alloc)+len(s.Go)+
		len(s.Holds)+len(s.Releases)+len(s.Finalizes)+len(s.Fds) == 0
}

// A Held records, for one lock class, what some critical section of it
// does while the lock is held.
type Held struct {
	// Class is the lock class.
	Class string
	// Op is the operation done under the lock: a wait, a channel
	// operation, another lock, or an allocation.
	Op Op
	// Where names the function holding the lock and the position of its
	// acquisition, "(*Pool).checkout (pool.go:40)".
	Where string
}

// Tables is the package fact finalock exports: the "held across" table of
// this package merged with those of every package it imports, and the lock
// classes that finalizers and cleanups of those packages acquire.
type Tables struct {
	// Held is sorted by class, then by operation.
	Held []Held
	// RootLocks lists lock acquisitions reachable from finalizers and
	// cleanups, each Op's Chain starting with the root.
	RootLocks []Op
	// InitGo holds one goroutine start reachable from package
	// initialization, if any.
	InitGo []Op
}

// AFact marks Tables as an analysis fact.
func (*Tables) AFact() {}

func (t *Tables) String() string {
	return fmt.Sprintf("tables(held=%d rootlocks=%d initgo=%d)", len(t.Held), len(t.RootLocks), len(t.InitGo))
}
