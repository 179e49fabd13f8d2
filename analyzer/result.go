package analyzer

import (
	"cmp"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"
	"sync"
)

// A Section is a critical section of the package that allocates: the lock
// acquisition that opens it and its first allocation.
type Section struct {
	// Lock is the acquisition that opens the section.
	Lock Op
	// LockPos is the position of that acquisition (or of the call to a
	// lock helper).
	LockPos token.Pos
	// Func names the function holding the lock.
	Func string
	// First is the first allocation under the lock; AllocPos its
	// position in this function (a call site when it is in a callee).
	First    Op
	AllocPos token.Pos
	// Allocs counts the allocation sites in the section.
	Allocs int
}

// Result is what the engine hands to the passes for one package.
type Result struct {
	once    sync.Once
	compute func() // set for a lazily computed result
	err     error

	roots     []*Root
	installed []*Root // roots of other modules that the package's calls install
	keep      []*KeepAlive
	sections  []*Section
	held      map[string][]Held // merged over imports, by lock class
	rootLocks []RootLock        // merged over imports
	initGo    []Op              // merged over imports
	fdWrapper bool              // some call reaches another package's fd-creating wrapper
	funcs     map[*types.Func]*Summary
	deathsig  []DeathsigStart
	started   map[token.Pos]*Started // the calls of the package and the start that may precede each (see startedbefore.go)
	forkHeld  map[token.Pos]ForkHold // the calls made while syscall.ForkLock is held
	fds       []FdCreation           // the calls that leak descriptors (see fdcreations.go)
	rawForks  map[token.Pos]string   // the raw system calls that fork, by left parenthesis
	notes     []string
}

func (r *Result) ready() {
	r.once.Do(func() {
		if r.compute != nil {
			r.compute()
			r.compute = nil // release the package
		}
	})
}

// Err returns the error that stopped the analysis of the package, if any.
func (r *Result) Err() error { r.ready(); return r.err }

// Roots returns the package's finalizers, cleanups and signal handlers in
// source order.
func (r *Result) Roots() []*Root { r.ready(); return r.roots }

// Installed returns the roots of other modules whose hazard needs no
// callback of this package and that calls of this package install: one
// per root, at the first such call in source order (see install.go).
func (r *Result) Installed() []*Root { r.ready(); return r.installed }

// KeepAlives returns the package's finalizers and cleanups that can never
// run, in source order of their registrations.
func (r *Result) KeepAlives() []*KeepAlive { r.ready(); return r.keep }

// Sections returns the package's allocating critical sections, in source
// order of their acquisitions.
func (r *Result) Sections() []*Section { r.ready(); return r.sections }

// RootLocks returns the lock acquisitions reachable from the finalizers and
// cleanups of this package and of every package it imports.
func (r *Result) RootLocks() []RootLock { r.ready(); return r.rootLocks }

// Notes returns what the analysis skipped and why, for verbose output.
func (r *Result) Notes() []string { r.ready(); return r.notes }

// Summary returns the summary of a function of this package or of one it
// calls, or nil.
func (r *Result) Summary(fn *types.Func) *Summary {
	r.ready()
	return r.funcs[fn.Origin()]
}

// HeldAcross returns what the critical sections of a lock class do while
// they hold it, over this package and every package it imports.
func (r *Result) HeldAcross(class string) []Held { r.ready(); return r.held[class] }

// Blocking reports whether some critical section of class can wait without
// bound, and returns the witness: the sections from class to the one that
// waits, each held across the next one's lock, the last across its wait.
func (r *Result) Blocking(class string) ([]Held, bool) {
	return r.BlockingExcept(class, nil)
}

// BlockingExcept is Blocking without the sections for which skip returns
// true.
func (r *Result) BlockingExcept(class string, skip func(Held) bool) ([]Held, bool) {
	r.ready()
	return r.blocking(class, skip, map[string]bool{})
}

func (r *Result) blocking(class string, skip func(Held) bool, seen map[string]bool) ([]Held, bool) {
	if seen[class] {
		return nil, false
	}
	seen[class] = true
	for _, h := range r.held[class] {
		if h.Op.End != 0 && (skip == nil || !skip(h)) {
			return []Held{h}, true
		}
	}
	for _, h := range r.held[class] {
		if h.Op.Kind.IsLock() && (skip == nil || !skip(h)) {
			if path, ok := r.blocking(h.Op.Class, skip, seen); ok {
				return append([]Held{h}, path...), true
			}
		}
	}
	return nil, false
}

// CallsFdWrapper reports whether the package calls a function of another
// package whose summary says it creates file descriptors with flags from a
// parameter.
func (r *Result) CallsFdWrapper() bool { r.ready(); return r.fdWrapper }

// InitGo returns goroutine starts reachable from the init functions of
// this package and of the packages it imports, outside the standard
// library.
func (r *Result) InitGo() []Op { r.ready(); return r.initGo }

// mergeTables merges package facts: Held sorted by class then operation,
// at most maxHeldPerClass witnesses per class and kind of operation.
func mergeTables(tables ...*Tables) *Tables {
	type key struct{ class, op string }
	best := map[key]Held{}
	for _, t := range tables {
		for _, h := range t.Held {
			k := key{h.Class, opKey(h.Op)}
			if old, ok := best[k]; !ok || better(h.Op, old.Op) || (!better(old.Op, h.Op) && whereKey(h) < whereKey(old)) {
				best[k] = h
			}
		}
	}
	out := &Tables{}
	for _, h := range best {
		out.Held = append(out.Held, h)
	}
	sort.Slice(out.Held, func(i, j int) bool {
		a, b := out.Held[i], out.Held[j]
		if a.Class != b.Class {
			return a.Class < b.Class
		}
		if a.Op.Kind != b.Op.Kind {
			return a.Op.Kind < b.Op.Kind
		}
		if len(a.Op.Chain) != len(b.Op.Chain) {
			return len(a.Op.Chain) < len(b.Op.Chain)
		}
		if ka, kb := opKey(a.Op), opKey(b.Op); ka != kb {
			return ka < kb
		}
		return whereKey(a) < whereKey(b)
	})
	// Bound each class: a few witnesses of each kind suffice.
	var kept []Held
	count := map[string]int{}
	for _, h := range out.Held {
		k := h.Class + "|" + h.Op.Kind.String()
		if count[k] < maxHeldPerClass {
			count[k]++
			kept = append(kept, h)
		}
	}
	out.Held = kept

	out.RootLocks = mergeRootLocks(tables)
	gos := newOpSet(1)
	for _, t := range tables {
		for _, op := range t.InitGo {
			gos.add(op)
		}
	}
	out.InitGo = gos.list()
	out.ChanFrom = mergeChanFrom(tables)
	return out
}

// mergeChanFrom merges the ChanFrom lists of package facts, sorted,
// without repeats.
func mergeChanFrom(tables []*Tables) []ChanFrom {
	var out []ChanFrom
	for _, t := range tables {
		out = append(out, t.ChanFrom...)
	}
	slices.SortFunc(out, func(a, b ChanFrom) int {
		return cmp.Or(strings.Compare(a.Class, b.Class), strings.Compare(a.From, b.From))
	})
	return slices.Compact(out)
}

const (
	maxHeldPerClass = 4
	maxRootLocks    = 256
)

// whereKey orders the holders of a lock deterministically.
func whereKey(h Held) string { return chainKey([]Hop{h.Where}) }

// mergeRootLocks merges the root locks of package facts: one per root,
// registration and lock identity, the best witness, at most maxRootLocks
// in a fixed order.
func mergeRootLocks(tables []*Tables) []RootLock {
	type key struct {
		root, site, op string
	}
	best := map[key]RootLock{}
	for _, t := range tables {
		for _, l := range t.RootLocks {
			k := key{l.Kind.String() + " " + l.Root, chainKey([]Hop{l.Site}), opKey(l.Op)}
			if old, ok := best[k]; !ok || better(l.Op, old.Op) {
				best[k] = l
			}
		}
	}
	keys := make([]key, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.op != b.op {
			return a.op < b.op
		}
		if a.root != b.root {
			return a.root < b.root
		}
		return a.site < b.site
	})
	if len(keys) > maxRootLocks {
		keys = keys[:maxRootLocks]
	}
	if len(keys) == 0 {
		return nil
	}
	out := make([]RootLock, len(keys))
	for i, k := range keys {
		out[i] = best[k]
	}
	return out
}
