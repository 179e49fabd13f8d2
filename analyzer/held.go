package analyzer

import (
	"go/token"
	"sort"
)

// A heldLock is a lock that is certainly held at a program point.
type heldLock struct {
	key string    // identity within the function
	op  Op        // the acquisition (class, parameter path, witness)
	at  token.Pos // where this function acquired it (or called the helper)
	// path is the mutex's access path (see lockPath), "" when unknown.
	path string
}

// A heldSet is a set of held locks sorted by key. The zero value is the
// empty set; nil in a block's entry means "not yet reached".
type heldSet []heldLock

func (s heldSet) with(h heldLock) heldSet {
	for _, x := range s {
		if x.key == h.key {
			return s
		}
	}
	out := make(heldSet, 0, len(s)+1)
	out = append(out, s...)
	out = append(out, h)
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

// without removes the lock with the given key or, failing that, one lock
// of the given class (a helper's unlock is matched by class). It reports
// whether a lock was removed.
func (s heldSet) without(key, class string) (heldSet, bool) {
	idx := -1
	for i, x := range s {
		if x.key == key {
			idx = i
			break
		}
	}
	if idx < 0 && class != "" {
		for i, x := range s {
			if x.op.Class == class {
				idx = i
				break
			}
		}
	}
	if idx < 0 {
		return s, false
	}
	out := make(heldSet, 0, len(s)-1)
	out = append(out, s[:idx]...)
	out = append(out, s[idx+1:]...)
	return out, true
}

// meet intersects two held sets (a lock is held after a merge only if it
// is held on every incoming edge).
func meet(a, b heldSet) heldSet {
	out := heldSet{}
	for _, x := range a {
		for _, y := range b {
			if x.key == y.key {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

func sameHeld(a, b heldSet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].key != b[i].key {
			return false
		}
	}
	return true
}

// byPath returns the held lock whose access path is path.
func (s heldSet) byPath(path string) (heldLock, bool) {
	if path == "" {
		return heldLock{}, false
	}
	for _, x := range s {
		if x.path == path {
			return x, true
		}
	}
	return heldLock{}, false
}

// withPath returns s with the access path of the lock with the given key
// set to path, if it has none.
func (s heldSet) withPath(key, path string) heldSet {
	for i, x := range s {
		if x.key == key && x.path == "" && path != "" {
			out := append(heldSet(nil), s...)
			out[i].path = path
			return out
		}
	}
	return s
}
