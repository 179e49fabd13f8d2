package lockinfinalizer

import (
	"strings"

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
			if p := hopPos(h); p != "" {
				own[op.Class+"\x00"+p] = true
			}
		}
	}
	return func(h analyzer.Held) bool {
		p := hopPos(h.Where)
		return p != "" && own[h.Class+"\x00"+p]
	}
}

// hopPos returns the position of a witness hop, "name (file.go:12)".
func hopPos(hop string) string {
	if !strings.HasSuffix(hop, ")") {
		return ""
	}
	i := strings.LastIndex(hop, " (")
	if i < 0 {
		return ""
	}
	return hop[i+2 : len(hop)-1]
}
