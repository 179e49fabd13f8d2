package lockinfinalizer

import (
	_ "embed"
	"fmt"
	"slices"
	"sort"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Analyzer reports waits that can last forever and contended locks
// reachable from finalizers, cleanups and signal handlers.
var Analyzer = &analysis.Analyzer{
	Name:       "lockinfinalizer",
	Doc:        analyzer.ExtractDoc(doc, "lockinfinalizer"),
	URL:        "https://github.com/finalock/finalock#lockinfinalizer",
	Requires:   []*analysis.Analyzer{analyzer.Analyzer},
	Run:        run,
	ResultType: analyzer.FindingsType,
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
	fs := new(analyzer.Findings)
	// The package's roots, then the roots of other modules that its calls
	// install, at the first such call (see the engine's install.go).
	for _, root := range slices.Concat(res.Roots(), res.Installed()) {
		if !root.Pos.IsValid() {
			continue
		}
		reportBlocking(pass, fs, root)
		reportLocks(pass, fs, res, root)
		reportRelock(pass, fs, root)
	}
	return fs, nil
}

// ignored reports whether the rule's finding about a root of another
// module is suppressed at the root's registration, in its package.
func ignored(root *analyzer.Root, rule string) bool {
	return root.Install != nil && slices.Contains(root.Install.Ignored, rule)
}

// subject names the root at the start of a message: its label, and for
// a root of another module that a call installs, the function called.
func subject(root *analyzer.Root) string {
	if root.Install == nil {
		return root.Label()
	}
	return fmt.Sprintf("%s (registered in %s, installed by %s)", root.Label(), root.Install.Pkg, root.Install.Via)
}

// witness renders the witness of op from the root: for a root that a call
// installs, the path from that call to the registration comes first.
func witness(root *analyzer.Root, op analyzer.Op) string {
	w := op.Witness(root.Label())
	if root.Install == nil {
		return w
	}
	return analyzer.RenderSteps(analyzer.HopSteps(root.Install.Chain)) + " → " + w
}

// steps returns the witness of op from the root as steps, after the path
// from the installing call to the registration for a root that a call
// installs.
func steps(root *analyzer.Root, op analyzer.Op) []analyzer.Step {
	s := op.Steps(root.Label())
	if root.Install == nil {
		return s
	}
	return append(analyzer.HopSteps(root.Install.Chain), s...)
}

// reportBlocking reports, once per root, the waits that can last forever
// that the root reaches: the shortest witness in the message, the others
// as related information.
func reportBlocking(pass *analysis.Pass, fs *analyzer.Findings, root *analyzer.Root) {
	if len(root.Waits) == 0 || ignored(root, RuleBlocking) {
		return
	}
	waits := append([]analyzer.Op(nil), root.Waits...)
	sort.SliceStable(waits, func(i, j int) bool { return len(waits[i].Chain) < len(waits[j].Chain) })
	best := waits[0]
	more := ""
	if n := len(waits) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	d := analysis.Diagnostic{
		Pos: root.Pos, Category: RuleBlocking,
		Message: fmt.Sprintf("%s can wait without bound%s; %s: %s",
			subject(root), more, consequence(root), witness(root, best)),
	}
	flows := []analyzer.Flow{{Message: root.Label() + " waits: " + best.Describe(), Steps: steps(root, best)}}
	for _, w := range waits[1:] {
		ws := w.Steps(root.Label())
		flows = append(flows, analyzer.Flow{Message: "also waits: " + analyzer.RenderSteps(ws), Steps: ws[1:], Related: true})
	}
	fs.Report(pass, d, analyzer.KeyOf(rootKey(root), best.Key()), flows...)
}

// rootKey identifies a root for a finding's key: its kind and function,
// and the function whose call installs it, for a root of another module.
func rootKey(root *analyzer.Root) string {
	k := root.Kind.String() + " " + root.QName
	if root.Install != nil {
		k += " · installed by " + root.Install.Via
	}
	return k
}

// A contention is one lock the root takes that can keep it waiting.
type contention struct {
	op    analyzer.Op     // the root's acquisition
	path  []analyzer.Held // the sections from the lock to the wait
	cycle *cycleProof     // set when the holder waits for the root
}

// A cycleProof says why a lock's holder can never finish: it waits for an
// operation only the root performs, or for a goroutine that needs the
// lock.
type cycleProof struct {
	held  analyzer.Held
	alone analyzer.Op // the root's operation the holder waits for; Kind 0 for a self-deadlock
}

// reportLocks reports, once per root and rule, the locks the root takes
// that other code holds across a wait that can last forever (lock), and
// those whose holder waits for the root itself (cycle).
func reportLocks(pass *analysis.Pass, fs *analyzer.Findings, res *analyzer.Result, root *analyzer.Root) {
	inline := analyzer.Finalizers() == analyzer.Inline && root.Kind != analyzer.RootSignal
	var locks, cycles, inlined []contention
	done := map[string]bool{}
	own := ownSections(root)
	for _, rl := range root.Relocks {
		if throughJoin(rl) && !done[rl.Again.Class] {
			done[rl.Again.Class] = true
			cycles = append(cycles, proxyCycle(root, rl))
		}
	}
	for _, op := range root.Locks {
		if op.Class == "" || done[op.Class] {
			continue
		}
		if proof := findCycle(res, root, op); proof != nil {
			done[op.Class] = true
			cycles = append(cycles, contention{op: op, cycle: proof})
			continue
		}
		if path, ok := res.BlockingExcept(op.Class, notEvidence(own, root, op.Class)); ok {
			done[op.Class] = true
			locks = append(locks, contention{op: op, path: path})
			continue
		}
		if inline && op.Kind != analyzer.KindToken {
			done[op.Class] = true
			inlined = append(inlined, contention{op: op})
		}
	}
	if len(cycles) > 0 {
		report(pass, fs, root, RuleCycle, cycles)
	}
	if len(locks) > 0 {
		report(pass, fs, root, RuleLock, locks)
	} else if len(inlined) > 0 {
		report(pass, fs, root, RuleLock, inlined)
	}
}

// andMore appends to msg how many more locks the finding has, if any.
func andMore(msg string, n int) string {
	switch {
	case n == 1:
		return msg + " (and 1 more lock)"
	case n > 1:
		return fmt.Sprintf("%s (and %d more locks)", msg, n)
	}
	return msg
}

// report reports the contentions of one rule: the first in the message,
// its holder's path as a second flow, the others as related information.
func report(pass *analysis.Pass, fs *analyzer.Findings, root *analyzer.Root, rule string, cs []contention) {
	if ignored(root, rule) {
		return
	}
	sort.SliceStable(cs, func(i, j int) bool { return weight(cs[i]) < weight(cs[j]) })
	msg := andMore(describe(root, cs[0]), len(cs)-1)
	d := analysis.Diagnostic{Pos: root.Pos, Category: rule,
		Message: fmt.Sprintf("%s; %s: %s", msg, consequence(root), witness(root, cs[0].op))}
	flows := []analyzer.Flow{{Message: root.Label() + " takes " + cs[0].op.LockName(), Steps: steps(root, cs[0].op)}}
	for i, c := range cs {
		for j, h := range holders(c) {
			msg := fmt.Sprintf("%s takes %s; %s holds it across %s", root.Label(), c.op.LockName(), h.Where, render(h.Op))
			if j > 0 {
				// A later section of the path: the lock of the previous
				// section's acquisition.
				msg = fmt.Sprintf("%s: %s holds it across %s", holders(c)[j-1].Op.LockName(), h.Where, render(h.Op))
			}
			flows = append(flows, analyzer.Flow{Message: msg, Steps: h.HolderSteps(), Related: i > 0})
		}
	}
	fs.Report(pass, d, analyzer.KeyOf(rootKey(root), cs[0].op.Key()), flows...)
}

// weight orders contentions: the shortest evidence first.
func weight(c contention) int { return len(c.op.Chain) + len(c.path) }

// holders returns the sections that make a contention: where the lock
// is held, across what.
func holders(c contention) []analyzer.Held {
	if c.cycle != nil {
		return []analyzer.Held{c.cycle.held}
	}
	return c.path
}

// describe says what a contention is, without the witness.
func describe(root *analyzer.Root, c contention) string {
	switch {
	case c.cycle != nil && c.cycle.alone.Kind == 0:
		h := c.cycle.held
		return fmt.Sprintf("%s takes %s, which %s holds across %s, and that goroutine needs %s first: deadlock",
			subject(root), c.op.LockName(), h.Where, render(h.Op), c.op.LockName())
	case c.cycle != nil:
		h := c.cycle.held
		return fmt.Sprintf("%s takes %s, which %s holds across %s, and only this %s completes it (%s): deadlock",
			subject(root), c.op.LockName(), h.Where, render(h.Op), root.Kind, c.cycle.alone.Describe())
	case len(c.path) == 0:
		return fmt.Sprintf("%s takes %s; under finalizers=inline it may run inside an allocation made while %s is held, and deadlock",
			subject(root), c.op.LockName(), c.op.LockName())
	}
	s := fmt.Sprintf("%s takes %s", subject(root), c.op.LockName())
	for _, h := range c.path {
		s += fmt.Sprintf(", which %s holds across %s", h.Where, render(h.Op))
	}
	return s
}

// render renders an operation done under a lock with its witness from
// the holder.
func render(op analyzer.Op) string { return analyzer.Render(op.Hops()) }

// findCycle returns the proof that a holder of the lock op takes can never
// finish while the root waits for the lock: it waits for a channel
// operation that only the root performs, or for a goroutine that needs
// the same lock. A partner that is merely possible is no proof.
func findCycle(res *analyzer.Result, root *analyzer.Root, op analyzer.Op) *cycleProof {
	for _, h := range res.HeldAcross(op.Class) {
		if j, ok := ownJoin(root, h.Op); ok {
			if doneBefore(root.Before[op.Class], j) {
				continue // the root answers the holder before it takes the lock
			}
			if !j.Buffer {
				// The holder waits for the root's own goroutine, which
				// takes the lock first.
				return &cycleProof{held: h, alone: analyzer.Op{Kind: j.Wait, Class: j.Class, Name: analyzer.ShortClass(j.Class)}}
			}
		}
		if h.Op.Kind.IsLock() && h.Op.Class == op.Class && joins(h.Op) {
			return &cycleProof{held: h}
		}
		if h.Op.Class == "" || h.Op.Select || (h.Op.Kind != analyzer.KindSend && h.Op.Kind != analyzer.KindRecv) {
			continue
		}
		for _, a := range root.Alone {
			if a.Class == h.Op.Class && partners(h.Op.Kind, a.Kind) {
				return &cycleProof{held: h, alone: a}
			}
		}
	}
	return nil
}

// joins reports whether the witness of op waits for a goroutine to reach
// it, with no buffer that may make the wait end sooner.
func joins(op analyzer.Op) bool {
	found := false
	for _, h := range op.Chain {
		if h.Buffer {
			return false
		}
		found = found || h.Join
	}
	return found
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
