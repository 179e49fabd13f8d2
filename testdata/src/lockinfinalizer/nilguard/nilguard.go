// Package nilguard holds waits that a function makes only when a
// parameter is not nil (nats-server's EnableJetStream, which hands its
// work to a task queue and joins it only when it is given one), reached
// from finalizers and lock holders whose calls pass nil there, next to
// twins whose calls pass a value.
package nilguard

import (
	"runtime"
	"sync"
)

// Account restores its streams, in parallel on tq when it has one.
type Account struct {
	mu      sync.Mutex
	streams []string
}

var tasks = make(chan func())

func restore(string) {}

// enable waits for the task queue only when it is given one.
func (a *Account) enable(tq chan<- func()) {
	if tq != nil {
		var wg sync.WaitGroup
		wg.Add(len(a.streams))
		for _, s := range a.streams {
			tq <- func() { restore(s); wg.Done() }
		}
		wg.Wait()
		return
	}
	for _, s := range a.streams {
		restore(s)
	}
}

// configure returns early without a queue: what follows needs one.
func (a *Account) configure(tq chan<- func()) {
	if tq == nil {
		return
	}
	tq <- func() {}
}

// reload passes its own queue on.
func (a *Account) reload(tq chan<- func()) { a.enable(tq) }

// Handle's finalizer restores without a queue: nothing waits.
type Handle struct{ acc *Account }

func finalizeInline() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.acc.enable(nil) })
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.acc.configure(nil) })
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.acc.reload(nil) })
}

// The twins pass the package's task queue: the requests and the join
// wait for workers that may never run.
func finalizeQueued() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.acc.enable(tasks) })    // want `finalizer finalizeQueued.func1 can wait without bound.*\(\*Account\).enable`
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.acc.configure(tasks) }) // want `finalizer finalizeQueued.func2 can wait without bound.*\(\*Account\).configure \(nilguard.go:\d+\) → send to nilguard.tasks`
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { h.acc.reload(tasks) })    // want `finalizer finalizeQueued.func3 can wait without bound.*\(\*Account\).reload`
}

// Registry holds its lock across restoring an account.
type Registry struct {
	mu   sync.Mutex
	accs []*Account
}

// refresh restores under the lock, without a queue: the lock is held
// across no wait.
func (r *Registry) refresh() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range r.accs {
		a.reload(nil)
	}
}

// Entry's finalizer takes the registry's lock, which refresh holds
// across nothing that waits.
type Entry struct{ reg *Registry }

func finalizeEntry() {
	runtime.SetFinalizer(&Entry{}, func(e *Entry) {
		e.reg.mu.Lock()
		e.reg.accs = e.reg.accs[:0]
		e.reg.mu.Unlock()
	})
}

// Catalog holds its lock across restoring with the queue: the twin.
type Catalog struct {
	mu   sync.Mutex
	accs []*Account
}

func (c *Catalog) refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range c.accs {
		a.reload(tasks)
	}
}

// Item's finalizer takes the catalog's lock, which refresh holds across
// the join of the queued work.
type Item struct{ cat *Catalog }

func finalizeItem() {
	runtime.SetFinalizer(&Item{}, func(i *Item) { // want `finalizer finalizeItem.func1 takes Catalog.mu, which \(\*Catalog\).refresh \(nilguard.go:\d+\) holds across \(\*Account\).reload`
		i.cat.mu.Lock()
		i.cat.accs = i.cat.accs[:0]
		i.cat.mu.Unlock()
	})
}
