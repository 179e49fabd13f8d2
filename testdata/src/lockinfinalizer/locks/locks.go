// Package locks has finalizers that take locks. A lock held elsewhere
// across an unbounded wait is reported; each has a twin whose lock is
// only held for O(1) work, or that the rules exempt.
package locks

import (
	"runtime"
	"sync"
	"time"
)

// Direct: Pool.mu is held across a receive.

type Pool struct {
	mu    sync.Mutex // held across <-free in get
	small sync.Mutex // held for O(1) work only
	free  chan int
	n     int
}

func (p *Pool) get() int {
	p.mu.Lock()
	n := <-p.free
	p.mu.Unlock()
	return n
}

func (p *Pool) count() {
	p.small.Lock()
	p.n++
	p.small.Unlock()
}

type Conn struct {
	pool *Pool
	mu   sync.Mutex // by value in the finalized Conn
	wait chan struct{}
}

func direct() {
	runtime.SetFinalizer(&Conn{}, func(c *Conn) { // want `finalizer direct.func1 takes Pool.mu, which \(\*Pool\).get \(locks.go:22\) holds across receive from Pool.free \(locks.go:23\); one goroutine runs all finalizers.*: finalizer direct.func1 → Pool.mu.Lock \(locks.go:42\)`
		c.pool.mu.Lock()
		c.pool.n--
		c.pool.mu.Unlock()
	})
	runtime.SetFinalizer(&Conn{}, func(c *Conn) {
		c.pool.small.Lock()
		c.pool.n--
		c.pool.small.Unlock()
	})
	runtime.AddCleanup(&Conn{}, func(p *Pool) { // want `cleanup direct.func3 takes Pool.mu, which \(\*Pool\).get .*cleanups run in sequence`
		p.mu.Lock()
		p.n--
		p.mu.Unlock()
	}, &Pool{})
	runtime.AddCleanup(&Conn{}, func(p *Pool) { p.count() }, &Pool{})
}

// Via a callee: the holder waits in a function it calls; the finalizer
// takes the lock in a function it calls.

type Queue struct {
	mu    sync.Mutex
	items chan int
	wg    sync.WaitGroup
	len   int
}

func (q *Queue) waitIdle() { q.wg.Wait() }

// spawn starts a worker that runs until items is closed, which nothing
// does: waitIdle can wait for ever.
func (q *Queue) spawn() {
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		for range q.items {
		}
	}()
}

func (q *Queue) flush() {
	q.mu.Lock()
	q.waitIdle()
	q.mu.Unlock()
}

func (q *Queue) remove() {
	q.mu.Lock()
	q.len--
	q.mu.Unlock()
}

type Item struct{ q *Queue }

func (it *Item) finalize() { it.q.remove() }

type OKQueue struct {
	mu  sync.Mutex
	wg  sync.WaitGroup
	len int
}

func (q *OKQueue) waitIdle() { q.wg.Wait() }

func (q *OKQueue) flush() {
	q.mu.Lock()
	q.len = 0
	q.mu.Unlock()
	q.waitIdle() // after the unlock
}

func (q *OKQueue) remove() {
	q.mu.Lock()
	q.len--
	q.mu.Unlock()
}

type OKItem struct{ q *OKQueue }

func (it *OKItem) finalize() { it.q.remove() }

func viaCallee() {
	runtime.SetFinalizer(&Item{}, (*Item).finalize) // want `finalizer \(\*Item\).finalize takes Queue.mu, which \(\*Queue\).flush \(locks.go:\d+\) holds across \(\*Queue\).waitIdle \(locks.go:\d+\) → \(\*sync.WaitGroup\).Wait, waiting for go \(\*Queue\).spawn.func1 \(locks.go:\d+\) → receive from Queue.items .*: finalizer \(\*Item\).finalize → \(\*Queue\).remove \(locks.go:\d+\) → Queue.mu.Lock`
	runtime.SetFinalizer(&OKItem{}, (*OKItem).finalize)
}

// defer Unlock: the lock is held until the function returns.

type Registry struct {
	mu    sync.Mutex
	ready chan bool
	m     map[int]bool
}

func (r *Registry) await() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[0] = <-r.ready
}

func (r *Registry) forget(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, id)
}

type OKRegistry struct {
	mu    sync.Mutex
	ready chan bool
	m     map[int]bool
}

func (r *OKRegistry) await() {
	v := <-r.ready
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[0] = v
}

func (r *OKRegistry) forget(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, id)
}

func viaDefer(r *Registry, ok *OKRegistry) {
	runtime.AddCleanup(&Conn{}, r.forget, 1) // want `cleanup \(\*Registry\).forget takes Registry.mu, which \(\*Registry\).await \(locks.go:\d+\) holds across receive from Registry.ready`
	runtime.AddCleanup(&Conn{}, ok.forget, 1)
}

// A lock helper.

type Cache struct {
	mu   sync.Mutex
	fill chan int
	v    int
}

func (c *Cache) lock()   { c.mu.Lock() }
func (c *Cache) unlock() { c.mu.Unlock() }

func (c *Cache) refill() {
	c.lock()
	c.v = <-c.fill
	c.unlock()
}

func (c *Cache) drop() {
	c.lock()
	c.v = 0
	c.unlock()
}

type OKCache struct {
	mu   sync.Mutex
	fill chan int
	v    int
}

func (c *OKCache) lock()   { c.mu.Lock() }
func (c *OKCache) unlock() { c.mu.Unlock() }

func (c *OKCache) refill() {
	v := <-c.fill
	c.lock()
	c.v = v
	c.unlock()
}

func (c *OKCache) drop() {
	c.lock()
	c.v = 0
	c.unlock()
}

type Entry struct {
	c  *Cache
	ok *OKCache
}

func viaHelper() {
	runtime.SetFinalizer(&Entry{}, func(e *Entry) { e.c.drop() }) // want `finalizer viaHelper.func1 takes Cache.mu, which \(\*Cache\).refill \(locks.go:\d+\) holds across receive from Cache.fill.*→ \(\*Cache\).drop \(locks.go:\d+\) → \(\*Cache\).lock \(locks.go:\d+\) → Cache.mu.Lock`
	runtime.SetFinalizer(&Entry{}, func(e *Entry) { e.ok.drop() })
}

// RWMutex: a read lock held across a wait blocks a writer, and a write
// lock held across a wait blocks a reader.

type Table struct {
	rw   sync.RWMutex
	wg   sync.WaitGroup
	rows map[int]int
}

func (t *Table) scan() {
	t.rw.RLock()
	defer t.rw.RUnlock()
	t.wg.Wait()
}

// load starts a loader that may never finish: it waits for a row nobody
// is bound to send.
func (t *Table) load(rows chan int) {
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		t.rows[0] = <-rows
	}()
}

type Index struct {
	rw   sync.RWMutex
	rows chan int
	keys []int
}

func (x *Index) rebuild() {
	x.rw.Lock()
	x.keys = append(x.keys, <-x.rows)
	x.rw.Unlock()
}

type OKTable struct {
	rw   sync.RWMutex
	rows map[int]int
}

func (t *OKTable) scan() int {
	t.rw.RLock()
	defer t.rw.RUnlock()
	return len(t.rows)
}

type Row struct {
	t   *Table
	x   *Index
	okt *OKTable
}

func rwMutex() {
	runtime.SetFinalizer(&Row{}, func(r *Row) { // want `finalizer rwMutex.func1 takes Table.rw, which \(\*Table\).scan \(locks.go:\d+\) holds across \(\*sync.WaitGroup\).Wait, waiting for go \(\*Table\).load.func1`
		r.t.rw.Lock()
		delete(r.t.rows, 0)
		r.t.rw.Unlock()
	})
	runtime.SetFinalizer(&Row{}, func(r *Row) { // want `finalizer rwMutex.func2 takes Index.rw, which \(\*Index\).rebuild .* holds across receive from Index.rows.*→ Index.rw.RLock`
		r.x.rw.RLock()
		_ = len(r.x.keys)
		r.x.rw.RUnlock()
	})
	runtime.SetFinalizer(&Row{}, func(r *Row) {
		r.okt.rw.Lock()
		delete(r.okt.rows, 0)
		r.okt.rw.Unlock()
	})
	runtime.SetFinalizer(&Row{}, func(r *Row) { _ = r.okt.scan() })
}

// An embedded mutex.

type Store struct {
	sync.Mutex
	flushed chan struct{}
	dirty   int
}

func (s *Store) sync() {
	s.Lock()
	<-s.flushed
	s.dirty = 0
	s.Unlock()
}

type OKStore struct {
	sync.Mutex
	dirty int
}

func (s *OKStore) sync() {
	s.Lock()
	s.dirty = 0
	s.Unlock()
}

type Handle struct {
	s  *Store
	ok *OKStore
}

func embedded() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer embedded.func1 takes Store.Mutex, which \(\*Store\).sync \(locks.go:\d+\) holds across receive from Store.flushed`
		h.s.Lock()
		h.s.dirty++
		h.s.Unlock()
	})
	runtime.SetFinalizer(&Handle{}, func(h *Handle) {
		h.ok.Lock()
		h.ok.dirty++
		h.ok.Unlock()
	})
}

// Transitive: Outer.mu is held across Inner.mu.Lock, and Inner.mu is held
// across a wait.

type Inner struct {
	mu   sync.Mutex
	done chan bool
	n    int
}

type Outer struct {
	mu    sync.Mutex
	inner *Inner
	okIn  *OKInner
}

type OKInner struct {
	mu sync.Mutex
	n  int
}

func (in *Inner) wait() {
	in.mu.Lock()
	<-in.done
	in.mu.Unlock()
}

func (o *Outer) bump() {
	o.mu.Lock()
	o.inner.mu.Lock()
	o.inner.n++
	o.inner.mu.Unlock()
	o.mu.Unlock()
}

type OKOuter struct {
	mu   sync.Mutex
	okIn *OKInner
}

func (o *OKOuter) bump() {
	o.mu.Lock()
	o.okIn.mu.Lock()
	o.okIn.n++
	o.okIn.mu.Unlock()
	o.mu.Unlock()
}

type Ref struct {
	o  *Outer
	ok *OKOuter
}

func transitive() {
	runtime.SetFinalizer(&Ref{}, func(r *Ref) { // want `finalizer transitive.func1 takes Outer.mu, which \(\*Outer\).bump \(locks.go:\d+\) holds across Inner.mu.Lock \(locks.go:\d+\), which \(\*Inner\).wait \(locks.go:\d+\) holds across receive from Inner.done`
		r.o.mu.Lock()
		r.o.mu.Unlock()
	})
	runtime.SetFinalizer(&Ref{}, func(r *Ref) {
		r.ok.mu.Lock()
		r.ok.mu.Unlock()
	})
}

// TryLock never waits.

func tryLock() {
	runtime.SetFinalizer(&Conn{}, func(c *Conn) {
		if c.pool.mu.TryLock() {
			c.pool.n--
			c.pool.mu.Unlock()
		}
	})
}

// sync.Cond.Wait releases the Cond's own lock while it waits: not "held
// across".

type Waiter struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
}

func newWaiter() *Waiter {
	w := &Waiter{}
	w.cond = sync.NewCond(&w.mu)
	return w
}

func (w *Waiter) await() {
	w.mu.Lock()
	for !w.ready {
		w.cond.Wait()
	}
	w.mu.Unlock()
}

type CondByValue struct {
	mu    sync.Mutex
	cond  sync.Cond
	ready bool
}

func (w *CondByValue) await() {
	w.mu.Lock()
	for !w.ready {
		w.cond.Wait()
	}
	w.mu.Unlock()
}

// OtherCond waits on a Cond of another lock while it holds mu.
type OtherCond struct {
	mu    sync.Mutex
	other *Waiter
}

func (o *OtherCond) await() {
	o.mu.Lock()
	o.other.mu.Lock()
	o.other.cond.Wait()
	o.other.mu.Unlock()
	o.mu.Unlock()
}

type Waiting struct {
	w  *Waiter
	v  *CondByValue
	oc *OtherCond
}

func condWait() {
	runtime.SetFinalizer(&Waiting{}, func(x *Waiting) {
		x.w.mu.Lock()
		x.w.ready = true
		x.w.cond.Broadcast()
		x.w.mu.Unlock()
	})
	runtime.SetFinalizer(&Waiting{}, func(x *Waiting) {
		x.v.mu.Lock()
		x.v.ready = true
		x.v.cond.Broadcast()
		x.v.mu.Unlock()
	})
	runtime.SetFinalizer(&Waiting{}, func(x *Waiting) { // want `finalizer condWait.func3 takes OtherCond.mu, which \(\*OtherCond\).await \(locks.go:\d+\) holds across \(\*sync.Cond\).Wait`
		x.oc.mu.Lock()
		x.oc.mu.Unlock()
	})
}

// A mutex stored by value in the finalized object: nobody else can hold
// it once the object is unreachable. A mutex reached through a pointer
// field can be shared.

func (c *Conn) await() {
	c.mu.Lock()
	<-c.wait
	c.mu.Unlock()
}

func (c *Conn) finalize() {
	c.mu.Lock()
	c.wait = nil
	c.mu.Unlock()
}

func (c *Conn) finalizePool() {
	c.pool.mu.Lock()
	c.pool.n--
	c.pool.mu.Unlock()
}

func byValue() {
	runtime.SetFinalizer(&Conn{}, (*Conn).finalize)
	runtime.SetFinalizer(&Conn{}, func(c *Conn) { c.finalize() })
	runtime.SetFinalizer(&Conn{}, func(c *Conn) {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.wait = nil
	})
	runtime.SetFinalizer(&Conn{}, (*Conn).finalizePool) // want `finalizer \(\*Conn\).finalizePool takes Pool.mu`
}

// A bound method value's receiver is not the finalized object: its mutex
// is shared.
type Tracker struct {
	mu   sync.Mutex
	gone chan int
	n    int
}

func (t *Tracker) watch() {
	t.mu.Lock()
	t.n += <-t.gone
	t.mu.Unlock()
}

func (t *Tracker) forget(c *Conn) {
	t.mu.Lock()
	t.n--
	t.mu.Unlock()
}

func boundReceiver(t *Tracker) {
	runtime.SetFinalizer(&Conn{}, t.forget) // want `finalizer \(\*Tracker\).forget takes Tracker.mu`
}

// Package-level locks.

var (
	regMu sync.Mutex
	regOK sync.Mutex
	reg   = map[int]bool{}
)

func scanRegistry(ch chan int) {
	regMu.Lock()
	defer regMu.Unlock()
	for id := range ch {
		reg[id] = true
	}
}

func touchRegistry() {
	regOK.Lock()
	reg[0] = true
	regOK.Unlock()
}

func globals() {
	runtime.SetFinalizer(&Conn{}, func(*Conn) { // want `finalizer globals.func1 takes locks.regMu, which scanRegistry \(locks.go:\d+\) holds across receive from channel`
		regMu.Lock()
		delete(reg, 1)
		regMu.Unlock()
	})
	runtime.SetFinalizer(&Conn{}, func(*Conn) {
		regOK.Lock()
		delete(reg, 1)
		regOK.Unlock()
	})
}

// A time.Sleep under a lock is a bounded delay: no wait.
var sleepMu sync.Mutex

func sleeper() {
	sleepMu.Lock()
	time.Sleep(time.Second)
	sleepMu.Unlock()
}

func sleepy() {
	runtime.SetFinalizer(&Conn{}, func(*Conn) {
		sleepMu.Lock()
		sleepMu.Unlock()
	})
}

// A critical section that starts a goroutine that waits, or polls a
// channel, does not itself wait.
var (
	spawnMu sync.Mutex
	pollMu  sync.Mutex
	events  = make(chan int)
)

func spawner() {
	spawnMu.Lock()
	go func() { <-events }()
	spawnMu.Unlock()
}

func poller() int {
	pollMu.Lock()
	defer pollMu.Unlock()
	select {
	case e := <-events:
		return e
	default:
		return 0
	}
}

func noWaitUnderLock() {
	runtime.SetFinalizer(&Conn{}, func(*Conn) {
		spawnMu.Lock()
		spawnMu.Unlock()
		pollMu.Lock()
		pollMu.Unlock()
	})
}

// A deferred closure that unlocks: the lock is held until the function
// returns.
var (
	deferMu   sync.Mutex
	deferOKMu sync.Mutex
)

func deferredClosure(ch chan int) int {
	deferMu.Lock()
	defer func() { deferMu.Unlock() }()
	return <-ch
}

func deferredClosureOK(ch chan int) int {
	v := <-ch
	deferOKMu.Lock()
	defer func() { deferOKMu.Unlock() }()
	return v
}

func viaDeferredClosure() {
	runtime.SetFinalizer(&Conn{}, func(*Conn) { // want `finalizer viaDeferredClosure.func1 takes locks.deferMu, which deferredClosure \(locks.go:\d+\) holds across receive from channel`
		deferMu.Lock()
		deferMu.Unlock()
	})
	runtime.SetFinalizer(&Conn{}, func(*Conn) {
		deferOKMu.Lock()
		deferOKMu.Unlock()
	})
}

// A Cond made in the function that waits on it releases the lock given to
// sync.NewCond; a Cond of one struct may release the lock of another.
type Flag struct {
	mu  sync.Mutex
	set bool
}

func (f *Flag) await() {
	c := sync.NewCond(&f.mu)
	f.mu.Lock()
	for !f.set {
		c.Wait()
	}
	f.mu.Unlock()
}

// TwoLocks holds mu while it waits on a Cond of other: mu is held across
// the wait.
type TwoLocks struct {
	mu    sync.Mutex
	other sync.Mutex
	set   bool
}

func (t *TwoLocks) await() {
	c := sync.NewCond(&t.other)
	t.mu.Lock()
	t.other.Lock()
	for !t.set {
		c.Wait()
	}
	t.other.Unlock()
	t.mu.Unlock()
}

type Counter struct {
	mu sync.Mutex
	n  int
}

type Gate struct {
	c    *Counter
	cond *sync.Cond
}

func newGate(c *Counter) *Gate { return &Gate{c: c, cond: sync.NewCond(&c.mu)} }

func (g *Gate) await() {
	g.c.mu.Lock()
	for g.c.n == 0 {
		g.cond.Wait()
	}
	g.c.mu.Unlock()
}

type Flags struct {
	f *Flag
	t *TwoLocks
	c *Counter
}

func condOfOther() {
	runtime.SetFinalizer(&Flags{}, func(x *Flags) {
		x.f.mu.Lock()
		x.f.set = true
		x.f.mu.Unlock()
	})
	runtime.SetFinalizer(&Flags{}, func(x *Flags) { // want `finalizer condOfOther.func2 takes TwoLocks.mu, which \(\*TwoLocks\).await \(locks.go:\d+\) holds across \(\*sync.Cond\).Wait`
		x.t.mu.Lock()
		x.t.set = true
		x.t.mu.Unlock()
	})
	runtime.SetFinalizer(&Flags{}, func(x *Flags) {
		x.c.mu.Lock()
		x.c.n++
		x.c.mu.Unlock()
	})
}

// A helper called with the lock held that drops it while it waits and
// takes it again: the lock is not held across the wait.
type Stream struct {
	mu    sync.Mutex
	ready chan struct{}
	n     int
}

func (s *Stream) waitLocked() {
	s.mu.Unlock()
	<-s.ready
	s.mu.Lock()
}

func (s *Stream) read() {
	s.mu.Lock()
	for s.n == 0 {
		s.waitLocked()
	}
	s.n--
	s.mu.Unlock()
}

// A helper that drops the lock and takes it again returns holding it: a
// wait after it is held across.
type Relock struct {
	mu    sync.Mutex
	ready chan struct{}
	n     int
}

func (r *Relock) yieldLocked() {
	r.mu.Unlock()
	r.mu.Lock()
}

func (r *Relock) read() {
	r.mu.Lock()
	r.yieldLocked()
	<-r.ready
	r.mu.Unlock()
}

type Streams struct {
	s *Stream
	r *Relock
}

func dropsLock() {
	runtime.SetFinalizer(&Streams{}, func(x *Streams) {
		x.s.mu.Lock()
		x.s.n++
		x.s.mu.Unlock()
	})
	runtime.SetFinalizer(&Streams{}, func(x *Streams) { // want `finalizer dropsLock.func2 takes Relock.mu, which \(\*Relock\).read \(locks.go:\d+\) holds across receive from Relock.ready`
		x.r.mu.Lock()
		x.r.n++
		x.r.mu.Unlock()
	})
}
