package lockinfinalizer

import (
	"strings"

	"github.com/finalock/finalock/analyzer"
)

// ownSections returns, for a signal handler, the test that says a
// critical section is the handler's own: the section opens at an
// acquisition that the handler's own witness for that lock passes
// through. A graceful shutdown waits by design (the blocking rule is not
// applied to signal handlers); another goroutine that runs the same
// section (a second caller of Stop) makes the handler wait for no more
// than the handler would wait for itself. Sections that other code opens
// are still evidence. For finalizers and cleanups it returns nil: their
// own waits are reported by the blocking rule.
func ownSections(root *analyzer.Root) func(analyzer.Held) bool {
	if root.Kind != analyzer.RootSignal {
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
