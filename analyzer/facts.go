package analyzer

import "fmt"

// An Op is one operation that a function performs, directly or through the
// functions it calls: a lock acquisition, a wait that can last forever, a
// channel operation, an allocation or a goroutine start.
//
// Ops are stored in facts, so they hold only flat, deterministic data. An
// Op is identified by its fields (see opKey), never by words: the passes
// and the drivers render it.
type Op struct {
	// Kind says what the operation is (see the Kind constants).
	Kind Kind
	// Class is the lock class or channel class the operation acts on
	// ("example.com/db.Pool.mu"), or "" when it is unknown.
	Class string
	// Name names the lock or channel for people ("Pool.mu", "chan made
	// at pool.go:12"), the call that waits ("(*sync.WaitGroup).Wait"),
	// the goroutine function started, or the allocation ("make([]int)").
	Name string
	// Param is the index of the parameter (receiver first) the lock or
	// channel is reached from, or -1.
	Param int
	// ByValue reports that the lock is stored by value inside the object
	// that parameter Param points to (reached through field selections
	// only, with no pointer loaded on the way).
	ByValue bool
	// End says, for a wait, why it can last forever.
	End End
	// Ends lists, for a wait, the classes of the channels whose close
	// ends it (the channel it receives from, the receive cases of its
	// select), sorted.
	Ends []string
	// Select reports that the operation is a case of a select without
	// default: another case may complete the select.
	Select bool
	// Must reports, for a channel operation or a WaitGroup.Done, that the
	// function performs it on every path to its return.
	Must bool
	// MustOK reports, for an operation that Must does not hold for, that
	// a function whose last result is an error performs it on every path
	// on which it reports success: the paths that return a non-nil error
	// (a sentinel, an error just found not nil) skip it. A caller that
	// goes on only after a nil error, or that ignores the error, counts
	// on it.
	MustOK bool
	// Holder is, for a wait on a channel, WaitGroup or Cond stored by
	// value in the object a parameter points to, or for what such a wait
	// inherits from the goroutines it joins, that parameter's index plus
	// one; 0 otherwise. In a finalizer of that object, the goroutines that
	// reach it are gone: what the wait inherits from them does not apply,
	// and an EndAlone twin says whether it can last forever there.
	Holder int
	// Guard lists, sorted, the parameters (receiver first) that are not
	// nil whenever the operation happens: it sits in a branch taken only
	// when they are not. A caller that passes nil there never performs it.
	Guard []int
	// Chain is the witness: the hops from the function to the operation,
	// the operation's own position last.
	Chain []Hop
}

// A Hop is one step of a witness: a call of Func made at File:Line, or,
// for the last hop of a chain, the position of the operation itself (Func
// is then "").
type Hop struct {
	// Func names the function called, or waited for when Join is set:
	// "(*Pool).checkout", "Open.func1".
	Func string
	// File is the base name of the file of the position ("pool.go"),
	// "" when there is none.
	File string
	// Line is the line of the position.
	Line int
	// Generated reports a position in a file the build generated (cgo's
	// wrappers), which has no name worth showing.
	Generated bool
	// Join reports that the hop waits for goroutine Func to reach the
	// operation instead of calling Func.
	Join bool
	// Wait and Class say, for a Join, what the goroutine must do to end
	// the wait: a receive (KindRecv) or a send or close (KindSend) on the
	// channel class, a Done (KindDone) on the WaitGroup class, a Signal or
	// Broadcast (KindCond) on the Cond class.
	Wait  Kind
	Class string
	// Releases is, for a Join whose wait is a Cond.Wait, the lock class
	// that the Cond releases while it waits: a caller holding that lock
	// does not hold it across what the goroutine does meanwhile.
	Releases string
	// Buffer reports, for a Join, that the wait is a send on a channel
	// that may have a buffer: it waits for the goroutine only while the
	// buffer is full, which no proof of a deadlock can take for granted.
	Buffer bool
	// Dynamic reports a call that the call graph resolved (an interface
	// method or a function value), not one named by the code.
	Dynamic bool
	// Elided stands for hops left out of a long chain.
	Elided bool
}

// Kind classifies an Op.
type Kind uint8

// The kinds of Op.
const (
	KindLock  Kind = iota + 1 // Lock of a sync.Mutex or sync.RWMutex
	KindRLock                 // RLock of a sync.RWMutex
	KindWait                  // a wait in a call: WaitGroup.Wait, Cond.Wait, I/O, select {}
	KindSend                  // a channel send
	KindRecv                  // a channel receive
	KindClose                 // close of a channel (a partner, never a wait)
	KindDone                  // WaitGroup.Done (a partner, never a wait)
	KindAlloc                 // a heap allocation
	KindGo                    // a goroutine start
	KindToken                 // taking the token of a channel used as a lock
	KindCond                  // a Cond.Wait, for what a join hop waits on (never an Op's kind)
	KindOffer                 // a send in a select with a default case and no other case: it sends now or not at all
)

var kindNames = [...]string{"", "lock", "rlock", "wait", "send", "recv", "close", "done", "alloc", "go", "token", "cond", "offer"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// IsLock reports whether an operation of kind k acquires a lock.
func (k Kind) IsLock() bool { return k == KindLock || k == KindRLock || k == KindToken }

// An End says why a wait can last forever: what would end it, and why
// nothing guarantees that it comes. Waits that something bounded ends (a
// timer, a token the waiter holds, a buffer with room, goroutines that
// this code started and that finish) are not recorded at all.
type End uint8

// The reasons a wait can last forever.
const (
	// EndPartner: a channel partner, a WaitGroup.Done or a Cond signal
	// that is merely possible: no goroutine of this code is bound to
	// provide it.
	EndPartner End = iota + 1
	// EndWorld: the outside world (network I/O, a child process), with
	// no deadline in sight.
	EndWorld
	// EndNever: nothing can end it (select {}, a nil channel).
	EndNever
	// EndAlone: it can last forever in a finalizer of the object that
	// parameter Holder-1 points to, and only there: the goroutines that
	// reach that object, which would be its partners, are gone, and they
	// left nothing behind that ends it (a close, every Done).
	EndAlone
)

var endNames = [...]string{"", "partner", "world", "never", "alone"}

func (e End) String() string {
	if int(e) < len(endNames) {
		return endNames[e]
	}
	return fmt.Sprintf("end(%d)", e)
}

// Summary is the fact finalock exports for a function: what calling the
// function may do, transitively closed over everything it calls, so that
// the fact of an exported function is complete on its own even where the
// facts of the functions it calls do not travel.
type Summary struct {
	// Locks holds one Op per lock class (and parameter path) acquired.
	Locks []Op
	// Waits holds the waits that can last forever, shortest witness
	// first within each kind.
	Waits []Op
	// Chans holds the channel operations (and WaitGroup.Done calls) on
	// known classes or parameters: the partners of other waits.
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
	// argument of runtime.SetFinalizer or runtime.AddCleanup.
	Finalizes []Forward
	// Fds lists the file descriptors the function creates with flags
	// taken from a parameter, without marking them close-on-exec: a
	// caller that passes flags without the close-on-exec bit leaks them.
	Fds []FdWrapper
	// Spawns lists, sorted, the parameters (receiver first) holding
	// functions that the function runs on a goroutine it starts, itself
	// or through another such function: a caller that passes a function
	// there starts a goroutine running it.
	Spawns []int
	// Keeps lists, by parameter, the parameters that the function's
	// first result holds: it stores them into the object it returns, or
	// returns them. A caller's cleanup argument made by the function
	// keeps those arguments reachable.
	Keeps []Keep
	// Takes lists the mutexes the function takes, by access path from
	// a parameter or a package-level variable, for callers to restate
	// and compare with the locks they hold at the call.
	Takes []Take
	// Kept lists, by access path, the locks of Holds.
	Kept []Take
	// Relocks lists the mutexes the function takes again while it holds
	// them on the same path, directly or in what it calls.
	Relocks []Relock
	// Deathsig says that the function hands its callers commands whose
	// SysProcAttr.Pdeathsig is set: returned, or stored into fields.
	Deathsig *Deathsig
	// Starts is the witness from the function to a call that starts a
	// process on its goroutine (os/exec, os.StartProcess,
	// syscall.ForkExec), itself or through what it calls; nil when it
	// starts none.
	Starts []Hop
	// Marks lists, sorted, the parameters (receiver first) that the
	// function marks close-on-exec, itself or through what it calls.
	Marks []int
	// Calls lists the calls of func values loaded from callback fields
	// that the function makes, itself or in what it calls, with the
	// locks held at each (see callback.go).
	Calls []FieldCall
	// Stores lists the callback fields the function stores its
	// parameters into: it registers callbacks (see fieldstore.go).
	Stores []FieldStore
	// Counted lists, sorted, the access paths (see lockPath; from a
	// parameter or a package-level variable) of the WaitGroups that
	// count every goroutine start of Go: before each start the function
	// adds to one of them, and the goroutine calls its Done last. A
	// caller that waits on them after the call, on every path, joins
	// those goroutines (see crossjoin.go). Empty when some start is not
	// counted so.
	Counted []string
	// Joins lists, sorted, the access paths of the WaitGroups that the
	// function waits on (WaitGroup.Wait, itself or in a call) on every
	// path to its return.
	Joins []string
	// Installs lists the roots that calling the function registers, in
	// its own package or, through static calls, in the packages it calls,
	// whose code could hang: a lock, a wait that can last forever or a
	// relock (see install.go). Sorted by root, at most maxInstalls.
	Installs []Install
}

// A Keep says that a function's result holds its parameter Param: in
// the field Field of the object it returns, in an element of it (Elem),
// or as the result itself (neither).
type Keep struct {
	Param int
	Field string
	Elem  bool
}

// A Forward says that a function passes its parameter Param on as the
// function argument of SetFinalizer (Kind RootFinalizer) or AddCleanup.
// Obj and Arg are the parameters it passes on as the object (obj, ptr)
// and as the cleanup's argument, or -1 when those are not parameters.
type Forward struct {
	Kind  RootKind
	Param int
	Obj   int
	Arg   int
}

// An FdWrapper says that a function creates file descriptors with a
// system call whose flags come from one of its parameters.
type FdWrapper struct {
	Param int    // the parameter holding the flags
	Call  string // the fd-creating call, "unix.Open"
	Pkg   string // the package of that call, "golang.org/x/sys/unix"
	Flag  string // the flag that sets close-on-exec, "O_CLOEXEC"
	Bit   int64  // the flag's value on the GOOS analysed
	Pair  bool   // the call creates two descriptors
	Chain []Hop  // the witness, from the function to the call
}

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	return fmt.Sprintf("summary(locks=%d waits=%d chans=%d alloc=%t go=%t holds=%d releases=%d finalizes=%d spawns=%v)",
		len(s.Locks), len(s.Waits), len(s.Chans), len(s.Alloc) > 0, len(s.Go) > 0,
		len(s.Holds), len(s.Releases), len(s.Finalizes), s.Spawns)
}

func (s *Summary) empty() bool {
	return len(s.Locks)+len(s.Waits)+len(s.Chans)+len(s.Alloc)+len(s.Go)+
		len(s.Holds)+len(s.Releases)+len(s.Finalizes)+len(s.Fds)+len(s.Spawns)+len(s.Keeps)+
		len(s.Takes)+len(s.Kept)+len(s.Relocks)+len(s.Calls)+len(s.Stores)+len(s.Starts)+len(s.Marks)+len(s.Counted)+len(s.Joins)+len(s.Installs) == 0 && s.Deathsig == nil
}

// A Held records, for one lock class, what some critical section of it
// does while the lock is held.
type Held struct {
	// Class is the lock class.
	Class string
	// Op is the operation done under the lock: a wait that can last
	// forever, or another lock.
	Op Op
	// Where is the function holding the lock, at the position of its
	// acquisition.
	Where Hop
}

// Tables is the package fact finalock exports: the "held across" table of
// this package merged with those of every package it imports, and the lock
// classes that finalizers and cleanups of those packages acquire.
type Tables struct {
	// Held is sorted by class, then by operation.
	Held []Held
	// RootLocks lists lock acquisitions reachable from finalizers and
	// cleanups, each Op's Chain starting with the root's registration.
	RootLocks []RootLock
	// InitGo holds one goroutine start reachable from package
	// initialization, if any.
	InitGo []Op
	// ChanFrom lists, sorted, the channel fields whose every channel
	// comes from a field of an exported type that importers fill (a
	// configuration's channel, kept by the constructor).
	ChanFrom []ChanFrom
}

// A ChanFrom says that the channels of field class Class are all taken
// from field class From.
type ChanFrom struct {
	Class, From string
}

// A RootLock is a lock that a finalizer or cleanup acquires, as importers
// see it.
type RootLock struct {
	// Root names the root ("finalizer (*db.Cursor).finalize") and Site is
	// where it is registered.
	Kind RootKind
	Root string
	Site Hop
	// Op is the acquisition, its chain from the root's function.
	Op Op
}

// AFact marks Tables as an analysis fact.
func (*Tables) AFact() {}

func (t *Tables) String() string {
	return fmt.Sprintf("tables(held=%d rootlocks=%d initgo=%d)", len(t.Held), len(t.RootLocks), len(t.InitGo))
}
