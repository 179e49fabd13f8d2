package lockinfinalizer

import (
	"fmt"
	"sort"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
)

// RuleRelock is the rule of a root that takes a mutex it already holds.
const RuleRelock = "relock"

// reportRelock reports, once per root, the mutexes the root takes again
// while it holds them on the same path: the shortest witness in the
// message, the acquisition that holds the mutex as a second flow, the
// other relocks as related information.
func reportRelock(pass *analysis.Pass, fs *analyzer.Findings, root *analyzer.Root) {
	var rs []analyzer.Relock
	for _, rl := range root.Relocks {
		if !throughJoin(rl) { // a cycle (see proxy.go)
			rs = append(rs, rl)
		}
	}
	if len(rs) == 0 || ignored(root, RuleRelock) {
		return
	}
	sort.SliceStable(rs, func(i, j int) bool {
		return len(rs[i].Held.Chain)+len(rs[i].Again.Chain) < len(rs[j].Held.Chain)+len(rs[j].Again.Chain)
	})
	best := rs[0]
	msg := andMore(relockText(root, best), len(rs)-1)
	d := analysis.Diagnostic{Pos: root.Pos, Category: RuleRelock,
		Message: fmt.Sprintf("%s; %s: %s", msg, consequence(root), witness(root, best.Again))}
	flows := []analyzer.Flow{
		{Message: root.Label() + " takes " + best.Again.LockName() + " again", Steps: steps(root, best.Again)},
		{Message: root.Label() + " already holds " + best.Held.LockName(), Steps: steps(root, best.Held)},
	}
	for _, r := range rs[1:] {
		flows = append(flows, analyzer.Flow{
			Message: fmt.Sprintf("also takes %s again (held since %s): %s",
				r.Again.LockName(), render(r.Held), render(r.Again)),
			Steps: r.Again.Steps(""), Related: true})
	}
	fs.Report(pass, d, analyzer.KeyOf(rootKey(root), RuleRelock+" · "+best.Again.Key()), flows...)
}

// relockText says what a relock is, without the witness.
func relockText(root *analyzer.Root, r analyzer.Relock) string {
	name := r.Again.LockName()
	held := render(r.Held)
	if r.Held.Kind == analyzer.KindRLock && r.Again.Kind == analyzer.KindRLock {
		return fmt.Sprintf("%s read-locks %s while it already holds a read lock on it (%s): "+
			"a writer that calls Lock in between waits for the first read lock and blocks the second: deadlock",
			subject(root), name, held)
	}
	return fmt.Sprintf("%s takes %s while it already holds it (%s): Go mutexes are not reentrant, so it waits for itself: deadlock",
		subject(root), name, held)
}
