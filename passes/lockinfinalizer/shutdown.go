package lockinfinalizer

import (
	"slices"

	"github.com/finalock/finalock/analyzer"
)

// ownSections returns the test that says a critical section is the
// root's own: the section opens at an acquisition that the root's own
// witness for that lock passes through. Another goroutine that runs the
// same section (a second caller of Stop) makes the root wait for no more
// than the root would wait for itself. For a signal handler that is a
// graceful shutdown, which waits by design (the blocking rule is not
// applied to signal handlers). For a finalizer or cleanup it is its own
// wait, which the blocking rule reports: a lock report would say it
// again. Sections that other code opens are still evidence.
func ownSections(root *analyzer.Root) func(analyzer.Held) bool {
	if root.Kind != analyzer.RootSignal && len(root.Waits) == 0 {
		return nil
	}
	own := map[string]bool{}
	for _, op := range root.Locks {
		for _, h := range op.Chain {
			if p := analyzer.HopPos(h); p != "" {
				own[op.Class+"\x00"+p] = true
			}
		}
	}
	return func(h analyzer.Held) bool {
		p := analyzer.HopPos(h.Where)
		return p != "" && own[h.Class+"\x00"+p]
	}
}

// notEvidence returns the test that says a critical section does not
// make the root wait without bound: it is the root's own (own), or the
// lock is held across a select that one of the channels closed, which the
// root closes before it takes the lock, ends.
func notEvidence(own func(analyzer.Held) bool, closed []string) func(analyzer.Held) bool {
	if len(closed) == 0 {
		return own
	}
	return func(h analyzer.Held) bool {
		if own != nil && own(h) {
			return true
		}
		for _, q := range h.Op.Quit {
			if slices.Contains(closed, q) {
				return true
			}
		}
		return false
	}
}
