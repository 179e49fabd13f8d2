package analyzer

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// opKey identifies an Op by its fields: two witnesses of the same
// operation have the same key.
func opKey(op Op) string {
	return string(appendOpKey(make([]byte, 0, len(op.Class)+len(op.Name)+16), op))
}

// appendOpKey appends opKey(op) to b: a lookup by key in a buffer of the
// caller's (m[string(b)]) builds no string.
func appendOpKey(b []byte, op Op) []byte {
	b = append(b, byte('0'+op.Kind), '|')
	b = append(b, op.Class...)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(op.Param), 10)
	if op.ByValue {
		b = append(b, "|v"...)
	}
	b = append(b, '|')
	b = append(b, op.Name...)
	b = append(b, '|', byte('0'+op.End))
	if op.Select {
		b = append(b, "|s"...)
	}
	if op.Holder > 0 {
		b = append(b, "|h"...)
		b = strconv.AppendInt(b, int64(op.Holder), 10)
	}
	for _, c := range op.Ends {
		b = append(b, '|')
		b = append(b, c...)
	}
	return b
}

// dynamic reports whether the witness of op goes through a dynamic call.
func (op Op) dynamic() bool {
	for _, h := range op.Chain {
		if h.Dynamic {
			return true
		}
	}
	return false
}

// chainKey orders witnesses of the same length deterministically.
func chainKey(chain []Hop) string {
	var b strings.Builder
	for _, h := range chain {
		fmt.Fprintf(&b, "%s|%s|%d|%t|%d|%s|%t|%t|%t;", h.Func, h.File, h.Line, h.Join, h.Wait, h.Class, h.Buffer, h.Dynamic, h.Elided)
	}
	return b.String()
}

// better reports whether a is a better witness than b: shorter, then
// without dynamic calls, then first in a fixed order.
func better(a, b Op) bool {
	if len(a.Chain) != len(b.Chain) {
		return len(a.Chain) < len(b.Chain)
	}
	if da, db := a.dynamic(), b.dynamic(); da != db {
		return !da
	}
	return compareChains(a.Chain, b.Chain) < 0
}

// compareChains orders chains of the same length hop by hop, the order
// chainKey gives, without building strings.
func compareChains(a, b []Hop) int {
	for i := range a {
		if i >= len(b) {
			return 1
		}
		x, y := &a[i], &b[i]
		if c := strings.Compare(x.Func, y.Func); c != 0 {
			return c
		}
		if c := strings.Compare(x.File, y.File); c != 0 {
			return c
		}
		if x.Line != y.Line {
			return cmpInt(x.Line, y.Line)
		}
		if c := strings.Compare(x.Class, y.Class); c != 0 {
			return c
		}
		if x.Wait != y.Wait {
			return cmpInt(int(x.Wait), int(y.Wait))
		}
		for _, f := range [...][2]bool{{x.Join, y.Join}, {x.Buffer, y.Buffer}, {x.Dynamic, y.Dynamic}, {x.Elided, y.Elided}, {x.Generated, y.Generated}} {
			if f[0] != f[1] {
				if f[1] {
					return -1
				}
				return 1
			}
		}
	}
	if len(a) < len(b) {
		return -1
	}
	return 0
}

func cmpInt(a, b int) int {
	if a < b {
		return -1
	}
	return 1
}

// An opSet collects Ops by identity, keeping for each the best witness.
// The result does not depend on the order Ops are added in.
type opSet struct {
	m   map[string]Op
	max int
	buf []byte // the key of the Op that add looks up
}

func newOpSet(max int) opSet { return opSet{max: max} }

// add adds op and reports whether the set changed.
func (s *opSet) add(op Op) bool {
	if s.m == nil {
		s.m = make(map[string]Op)
	}
	s.buf = appendOpKey(s.buf[:0], op)
	old, ok := s.m[string(s.buf)]
	if ok {
		// Either path may happen: the guard is what both have.
		g := intersectGuards(old.Guard, op.Guard)
		if !better(op, old) {
			if len(g) == len(old.Guard) {
				return false
			}
			old.Guard = g
			s.m[string(s.buf)] = old
			return true
		}
		op.Guard = g
	}
	s.m[string(s.buf)] = op
	return true
}

// list returns the Ops sorted by kind, class and name, at most s.max of
// them (the best witnesses win).
func (s *opSet) list() []Op {
	ops, _ := s.keyed()
	return ops
}

// keyed is list, with the opKey of each Op returned: the keys of the
// set's map, not built again for each comparison of the sorts.
func (s *opSet) keyed() ([]Op, []string) {
	if len(s.m) == 0 {
		return nil, nil
	}
	ops := make([]Op, 0, len(s.m))
	keys := make([]string, 0, len(s.m))
	for k, op := range s.m {
		ops = append(ops, op)
		keys = append(keys, k)
	}
	if s.max > 0 && len(ops) > s.max {
		sort.Sort(keyedOps{ops, keys, func(a, b Op, ka, kb string) bool {
			if better(a, b) != better(b, a) {
				return better(a, b)
			}
			return ka < kb
		}})
		ops, keys = ops[:s.max], keys[:s.max]
	}
	sort.Sort(keyedOps{ops, keys, opLess})
	return ops, keys
}

// keyedOps sorts Ops with their keys. The keys of a set are distinct, so
// its orders are total and the result does not depend on the algorithm.
type keyedOps struct {
	ops  []Op
	keys []string
	less func(a, b Op, ka, kb string) bool
}

func (k keyedOps) Len() int { return len(k.ops) }
func (k keyedOps) Less(i, j int) bool {
	return k.less(k.ops[i], k.ops[j], k.keys[i], k.keys[j])
}
func (k keyedOps) Swap(i, j int) {
	k.ops[i], k.ops[j] = k.ops[j], k.ops[i]
	k.keys[i], k.keys[j] = k.keys[j], k.keys[i]
}

// opLess orders Ops by kind, then key (the class and name first), then
// witness.
func opLess(a, b Op, ka, kb string) bool {
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	if ka != kb {
		return ka < kb
	}
	return better(a, b)
}

// sumBuilder accumulates a Summary.
type sumBuilder struct {
	locks, waits, chans, alloc, gos, holds, releases opSet
	finalizes                                        map[Forward]bool
	fds                                              map[string]FdWrapper
	rl                                               relockBuilder
	// chanBlocks records the blocks in which each channel operation (by
	// key) is performed for sure, to decide Must.
	chanBlocks map[string][]*ssa.BasicBlock
}

// addFd records an fd wrapper, keeping the shortest witness per parameter
// and call.
func (b *sumBuilder) addFd(w FdWrapper) {
	if b.fds == nil {
		b.fds = map[string]FdWrapper{}
	}
	k := fmt.Sprintf("%d|%s", w.Param, w.Call)
	if old, ok := b.fds[k]; ok && (len(old.Chain) < len(w.Chain) || (len(old.Chain) == len(w.Chain) && chainKey(old.Chain) <= chainKey(w.Chain))) {
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

// addChan records a channel operation made in block b; with sure set, the
// operation happens whenever b runs (not in a callee that may skip it).
func (b *sumBuilder) addChan(op Op, blk *ssa.BasicBlock, sure bool) {
	op.Must, op.MustOK = false, false
	b.chans.add(op)
	b.markChan(op, blk, sure)
}

// markChan records that the channel operation op is performed in blk,
// for sure when sure is set.
func (b *sumBuilder) markChan(op Op, blk *ssa.BasicBlock, sure bool) {
	if sure && blk != nil {
		if b.chanBlocks == nil {
			b.chanBlocks = map[string][]*ssa.BasicBlock{}
		}
		k := opKey(op)
		if !slices.Contains(b.chanBlocks[k], blk) {
			b.chanBlocks[k] = append(b.chanBlocks[k], blk)
		}
	}
}

// Bounds on the size of a Summary: the best witnesses are kept.
const (
	maxLocks = 48
	maxWaits = 8
	maxChans = 64
	maxHelds = 16
)

func newSumBuilder() *sumBuilder {
	return &sumBuilder{
		locks: newOpSet(maxLocks), waits: newOpSet(maxWaits), chans: newOpSet(maxChans),
		alloc: newOpSet(1), gos: newOpSet(1),
		holds: newOpSet(maxHelds), releases: newOpSet(maxHelds),
	}
}

// summary returns the Summary; entry is the function's entry block, from
// which Must is decided (nil: no operation is Must).
func (b *sumBuilder) summary(entry *ssa.BasicBlock) *Summary {
	chans, chanKeys := b.chans.keyed()
	s := &Summary{
		Locks: b.locks.list(), Waits: b.waits.list(), Chans: chans,
		Alloc: b.alloc.list(), Go: b.gos.list(),
		Holds: b.holds.list(), Releases: b.releases.list(),
		Fds: b.fdList(),
	}
	for f := range b.finalizes {
		s.Finalizes = append(s.Finalizes, f)
	}
	sort.Slice(s.Finalizes, func(i, j int) bool {
		if s.Finalizes[i].Param != s.Finalizes[j].Param {
			return s.Finalizes[i].Param < s.Finalizes[j].Param
		}
		a, b := s.Finalizes[i], s.Finalizes[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Obj != b.Obj {
			return a.Obj < b.Obj
		}
		return a.Arg < b.Arg
	})
	b.rl.fill(s)
	if entry != nil {
		okPaths := returnsError(entry.Parent())
		for i := range s.Chans {
			blocks := b.chanBlocks[chanKeys[i]]
			switch {
			case len(blocks) == 0:
			case mustPass(entry, blocks...):
				s.Chans[i].Must = true
			case okPaths && mustPassOK(entry, blocks...):
				s.Chans[i].MustOK = true
			}
		}
	}
	return s
}

// known reports whether recording op, with the witness h followed by
// chain, under the locks held, would change nothing: the walk records no
// prefix, no lock is held for the tables to record op under, and set
// already holds op with a witness at least as good (see better) and a
// guard that op's guard keeps. Callers test it before building the
// witness; a witness of the same length is compared in a buffer of the
// walker's, not built.
func (w *walker) known(set *opSet, op Op, h Hop, chain []Hop, held heldSet) bool {
	if !w.record || w.mode == walkPrefix || (w.tables() && len(held) > 0) || set.m == nil {
		return false
	}
	w.keyBuf = appendOpKey(w.keyBuf[:0], op)
	old, ok := set.m[string(w.keyBuf)]
	if n := min(len(chain)+1, maxChain); !ok || len(old.Chain) > n {
		return false
	} else if len(old.Chain) == n {
		one := [1]Hop{h}
		w.chainBuf = appendChain(w.chainBuf[:0], one[:], chain)
		op.Chain = w.chainBuf
		if better(op, old) {
			return false
		}
	}
	g := w.blockGuard(op).Guard
	return len(intersectGuards(old.Guard, g)) == len(old.Guard)
}
