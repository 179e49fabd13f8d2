package lockinfinalizer

import (
	"slices"

	"github.com/finalock/finalock/analyzer"
)

// ownSections returns the test that says a critical section is the
// root's own: the section opens at an acquisition that the root's own
// witness for that lock passes through. What the root waits for in its
// own section is its own wait, which the blocking rule reports; another
// goroutine running the same section (a second caller of Stop) makes the
// root wait for no more than it would wait for itself. Sections that
// other code opens are evidence.
func ownSections(root *analyzer.Root) func(analyzer.Held) bool {
	type at struct {
		class, file string
		line        int
	}
	own := map[at]bool{}
	for _, op := range root.Locks {
		for _, h := range op.Chain {
			if h.File != "" {
				own[at{op.Class, h.File, h.Line}] = true
			}
		}
	}
	if len(own) == 0 {
		return nil
	}
	return func(h analyzer.Held) bool {
		return h.Where.File != "" && own[at{h.Class, h.Where.File, h.Where.Line}]
	}
}

// notEvidence returns the test that says a critical section of the lock
// class does not make the root wait forever: it is the root's own (own);
// or the lock is held across a wait that a channel the root closes before
// it takes the lock ends; or across a wait for the root's own goroutine to
// do something that the root does before it takes the lock.
func notEvidence(own func(analyzer.Held) bool, root *analyzer.Root, class string) func(analyzer.Held) bool {
	before := root.Before[class]
	if len(before) == 0 {
		return own
	}
	var closed []string
	for _, op := range before {
		if op.Kind == analyzer.KindClose {
			closed = append(closed, op.Class)
		}
	}
	return func(h analyzer.Held) bool {
		if own != nil && own(h) {
			return true
		}
		for _, q := range h.Op.Ends {
			if slices.Contains(closed, q) {
				return true
			}
		}
		if j, ok := ownJoin(root, h.Op); ok && doneBefore(before, j) {
			return true
		}
		return false
	}
}

// ownJoin returns the hop through which op waits for the goroutine that
// runs the root: a signal handler's own goroutine.
func ownJoin(root *analyzer.Root, op analyzer.Op) (analyzer.Hop, bool) {
	if root.Kind != analyzer.RootSignal {
		return analyzer.Hop{}, false
	}
	for _, h := range op.Chain {
		if h.Join {
			return h, h.Func == root.Name
		}
	}
	return analyzer.Hop{}, false
}

// doneBefore reports whether the operations the root performs before it
// takes a lock include what the join hop j waits for.
func doneBefore(before []analyzer.Op, j analyzer.Hop) bool {
	for _, op := range before {
		if op.Class != j.Class {
			continue
		}
		switch j.Wait {
		case analyzer.KindRecv:
			if op.Kind == analyzer.KindRecv {
				return true
			}
		case analyzer.KindSend:
			if op.Kind == analyzer.KindSend || op.Kind == analyzer.KindClose {
				return true
			}
		}
	}
	return false
}
