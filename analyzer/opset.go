package analyzer

import (
	"fmt"
	"sort"
	"strings"
)

// An opSet collects Ops by identity, keeping for each the best witness:
// the shortest chain, then one without dynamic calls, then the smallest
// text. The result does not depend on the order Ops are added in.
type opSet struct {
	m   map[string]Op
	max int
}

func newOpSet(max int) opSet { return opSet{max: max} }

func opKey(op Op) string {
	return fmt.Sprintf("%d|%s|%d|%t|%s", op.Kind, op.Class, op.Param, op.ByValue, op.What)
}

// better reports whether a is a better witness than b.
func better(a, b Op) bool {
	if len(a.Chain) != len(b.Chain) {
		return len(a.Chain) < len(b.Chain)
	}
	if a.Dynamic != b.Dynamic {
		return !a.Dynamic
	}
	return Render(a.Chain) < Render(b.Chain)
}

// add adds op and reports whether the set changed.
func (s *opSet) add(op Op) bool {
	if s.m == nil {
		s.m = make(map[string]Op)
	}
	k := opKey(op)
	if old, ok := s.m[k]; ok && !better(op, old) {
		return false
	}
	s.m[k] = op
	return true
}

// list returns the Ops sorted by kind, class and text, at most s.max of
// them (the best witnesses win).
func (s *opSet) list() []Op {
	if len(s.m) == 0 {
		return nil
	}
	ops := make([]Op, 0, len(s.m))
	for _, op := range s.m {
		ops = append(ops, op)
	}
	if s.max > 0 && len(ops) > s.max {
		sort.Slice(ops, func(i, j int) bool { return better(ops[i], ops[j]) })
		ops = ops[:s.max]
	}
	sortOps(ops)
	return ops
}

func sortOps(ops []Op) {
	sort.Slice(ops, func(i, j int) bool {
		a, b := ops[i], ops[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Class != b.Class {
			return a.Class < b.Class
		}
		if a.Param != b.Param {
			return a.Param < b.Param
		}
		if a.What != b.What {
			return a.What < b.What
		}
		return better(a, b)
	})
}

// sumBuilder accumulates a Summary.
type sumBuilder struct {
	locks, waits, chans, alloc, gos, holds, releases, finalizes opSet
	fds                                                         map[string]FdWrapper
}

// addFd records an fd wrapper, keeping the shortest witness per parameter
// and call.
func (b *sumBuilder) addFd(w FdWrapper) {
	if b.fds == nil {
		b.fds = map[string]FdWrapper{}
	}
	k := fmt.Sprintf("%d|%s", w.Param, w.Call)
	if old, ok := b.fds[k]; ok && (len(old.Chain) < len(w.Chain) || (len(old.Chain) == len(w.Chain) && Render(old.Chain) <= Render(w.Chain))) {
		return
	}
	b.fds[k] = w
}

func (b *sumBuilder) fdList() []FdWrapper {
	if len(b.fds) == 0 {
		return nil
	}
	out := make([]FdWrapper, 0, len(b.fds))
	for _, w := range b.fds {
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Param != out[j].Param {
			return out[i].Param < out[j].Param
		}
		return out[i].Call < out[j].Call
	})
	return out
}

// Bounds on the size of a Summary: the best witnesses are kept.
const (
	maxLocks = 48
	maxWaits = 8
	maxChans = 32
	maxHelds = 16
)

func newSumBuilder() *sumBuilder {
	return &sumBuilder{
		locks: newOpSet(maxLocks), waits: newOpSet(maxWaits), chans: newOpSet(maxChans),
		alloc: newOpSet(1), gos: newOpSet(1),
		holds: newOpSet(maxHelds), releases: newOpSet(maxHelds), finalizes: newOpSet(maxHelds),
	}
}

func (b *sumBuilder) summary() *Summary {
	return &Summary{
		Locks: b.locks.list(), Waits: b.waits.list(), Chans: b.chans.list(),
		Alloc: b.alloc.list(), Go: b.gos.list(),
		Holds: b.holds.list(), Releases: b.releases.list(), Finalizes: b.finalizes.list(),
		Fds: b.fdList(),
	}
}

// signature is a cheap identity of a Summary, to detect a fixed point.
func (s *Summary) signature() string {
	var sb strings.Builder
	for _, l := range [][]Op{s.Locks, s.Waits, s.Chans, s.Alloc, s.Go, s.Holds, s.Releases, s.Finalizes} {
		for _, op := range l {
			sb.WriteString(opKey(op))
			sb.WriteString(Render(op.Chain))
			sb.WriteByte(';')
		}
		sb.WriteByte('/')
	}
	for _, w := range s.Fds {
		fmt.Fprintf(&sb, "%d|%s|%s;", w.Param, w.Call, Render(w.Chain))
	}
	return sb.String()
}
