package lockinfinalizer

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Analyzer reports unbounded waits and contended locks reachable from
// finalizers, cleanups and signal handlers.
var Analyzer = &analysis.Analyzer{
	Name:     "lockinfinalizer",
	Doc:      analyzer.ExtractDoc(doc, "lockinfinalizer"),
	URL:      "https://github.com/finalock/finalock#lockinfinalizer",
	Requires: []*analysis.Analyzer{analyzer.Analyzer},
	Run:      run,
}

// The rules, used as diagnostic categories.
const (
	RuleBlocking = "blocking"
	RuleLock     = "lock"
	RuleCycle    = "cycle"
)

func run(pass *analysis.Pass) (any, error) {
	pass, flush := analyzer.Ignores(pass, true)
	defer flush()
	res := pass.ResultOf[analyzer.Analyzer].(*analyzer.Result)
	if err := res.Err(); err != nil {
		return nil, err
	}
	inline := analyzer.Finalizers() == analyzer.Inline
	for _, root := range res.Roots() {
		if !root.Pos.IsValid() {
			continue
		}
		if root.Kind != analyzer.RootSignal {
			reportBlocking(pass, root)
		}
		done := map[string]bool{}
		own := ownSections(root)
		for _, op := range root.Locks {
			if op.Class == "" || done[op.Class] {
				continue
			}
			if reportCycle(pass, res, root, op) {
				done[op.Class] = true
				continue
			}
			if path, ok := res.BlockingExcept(op.Class, notEvidence(own, root.ClosedBefore[op.Class])); ok {
				done[op.Class] = true
				var held []string
				for _, h := range path {
					held = append(held, fmt.Sprintf("which %s holds across %s", h.Where, analyzer.Render(h.Op.Chain)))
				}
				pass.Report(analysis.Diagnostic{
					Pos: root.Pos, Category: RuleLock,
					Message: fmt.Sprintf("%s takes %s, %s; %s: %s",
						root.Label(), lockName(op), strings.Join(held, ", "), consequence(root), analyzer.Render(op.Chain)),
				})
				continue
			}
			if inline && root.Kind != analyzer.RootSignal && op.Kind != analyzer.KindToken {
				done[op.Class] = true
				pass.Report(analysis.Diagnostic{
					Pos: root.Pos, Category: RuleLock,
					Message: fmt.Sprintf("%s takes %s; under finalizers=inline it may run inside an allocation made while %s is held, and deadlock: %s",
						root.Label(), lockName(op), lockName(op), analyzer.Render(op.Chain)),
				})
			}
		}
	}
	return nil, nil
}

func reportBlocking(pass *analysis.Pass, root *analyzer.Root) {
	if len(root.Waits) == 0 {
		return
	}
	best := root.Waits[0]
	for _, w := range root.Waits[1:] {
		if len(w.Chain) < len(best.Chain) || (len(w.Chain) == len(best.Chain) && analyzer.Render(w.Chain) < analyzer.Render(best.Chain)) {
			best = w
		}
	}
	more := ""
	if n := len(root.Waits) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	pass.Report(analysis.Diagnostic{
		Pos: root.Pos, Category: RuleBlocking,
		Message: fmt.Sprintf("%s can wait without bound%s; %s: %s",
			root.Label(), more, consequence(root), analyzer.Render(best.Chain)),
	})
}

// reportCycle reports a lock whose holder waits on a channel operation
// that only the root can complete.
func reportCycle(pass *analysis.Pass, res *analyzer.Result, root *analyzer.Root, op analyzer.Op) bool {
	for _, h := range res.HeldAcross(op.Class) {
		if h.Op.Class == "" || (h.Op.Kind != analyzer.KindSend && h.Op.Kind != analyzer.KindRecv) {
			continue
		}
		// The root completes the holder's wait only if they share the
		// channel, and only if nothing else can: a channel every call
		// makes anew is not evidence of sharing, and a select may be
		// completed by another of its cases.
		if analyzer.PerCallChannel(h.Op.Class) || strings.HasSuffix(h.Op.What, " in select") {
			continue
		}
		for _, c := range root.Chans {
			if c.Class != h.Op.Class || !partners(h.Op.Kind, c.Kind) {
				continue
			}
			pass.Report(analysis.Diagnostic{
				Pos: root.Pos, Category: RuleCycle,
				Message: fmt.Sprintf("%s takes %s, which %s holds across %s, and only this %s completes it (%s): deadlock; %s: %s",
					root.Label(), lockName(op), h.Where, analyzer.Render(h.Op.Chain), root.Kind, c.What, consequence(root), analyzer.Render(op.Chain)),
			})
			return true
		}
	}
	return false
}

// partners reports whether an operation of kind b completes a waiting
// operation of kind a on the same channel.
func partners(a, b analyzer.Kind) bool {
	switch a {
	case analyzer.KindSend:
		return b == analyzer.KindRecv
	case analyzer.KindRecv:
		return b == analyzer.KindSend || b == analyzer.KindClose
	}
	return false
}

func lockName(op analyzer.Op) string {
	if op.Kind == analyzer.KindToken {
		return "the token of " + strings.TrimPrefix(op.What, "take ")
	}
	s := strings.TrimSuffix(op.What, ".RLock")
	return strings.TrimSuffix(s, ".Lock")
}

// consequence says what a stuck root costs, in Go terms.
func consequence(root *analyzer.Root) string {
	switch root.Kind {
	case analyzer.RootSignal:
		return "while it waits the signals it handles are ignored (signal.Notify disabled their default action)"
	case analyzer.RootCleanup:
		return "cleanups run in sequence, so every cleanup queued after it waits too"
	}
	return "one goroutine runs all finalizers, so every finalizer queued after it waits too"
}
