package analyzer

import (
	"go/constant"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Relocks: a function that takes a mutex it already holds on the same
// path. Go's mutexes are not reentrant, so that function waits for
// itself. A lock class cannot tell s.mu from peer.mu, so this file names
// the instance: the access path of the lock from a parameter or a
// package-level variable, restated at each call from the arguments.

// A Take is a mutex acquisition named by its access path, for callers to
// compare with the locks they hold when they call the function.
type Take struct {
	// Kind is KindLock or KindRLock.
	Kind Kind
	// Path is the access path of the mutex (see lockPath): "$0|.mu" for
	// the field mu of what the first parameter points to, "$0|.peer*.mu"
	// through the pointer in its field peer, "@example.com/p.mu|" for a
	// package-level variable.
	Path string
	// Class and Name are the lock's class and its name for people.
	Class string
	Name  string
	// If lists the boolean parameters whose value decides whether the
	// acquisition happens ("if !locked { s.mu.Lock() }"), sorted.
	If []TakeIf
	// Chain is the witness from the function to the acquisition.
	Chain []Hop
}

// A TakeIf says that an acquisition happens only when boolean parameter
// Param is Want.
type TakeIf struct {
	Param int
	Want  bool
}

// A Relock is a mutex that a function takes again while it holds it, on
// the same path: the function deadlocks on itself (for two read locks:
// as soon as a writer queues between them).
type Relock struct {
	// Held is the acquisition that holds the mutex, Again the one that
	// takes it again; both chains start at the function.
	Held, Again Op
}

// lockPath returns the access path of the mutex at address v in its
// function: a root, "|", then the steps from the root, each a field
// (".mu"), a load of a pointer ("*") or a constant index ("[2]"). The
// root is a parameter ("$0"), a package-level variable
// ("@example.com/p.mu"), or a variable of the function ("~name"), which
// only the function itself can name. It returns "" when the path is not
// known for certain: an index that is not a constant, a φ-node, a call's
// result.
func (e *engine) lockPath(v ssa.Value, depth int) string {
	if depth > maxPlaceDepth {
		return ""
	}
	switch x := v.(type) {
	case *ssa.Global:
		return "@" + qualifiedName(x.Pkg.Pkg, x.Name()) + "|"
	case *ssa.Parameter:
		if i := paramIndex(x); i >= 0 {
			return "$" + strconv.Itoa(i) + "|"
		}
	case *ssa.FreeVar:
		return "~" + x.Name() + "|"
	case *ssa.Alloc:
		if x.Heap {
			return "~" + x.Name() + "|"
		}
	case *ssa.FieldAddr:
		name := fieldName(x.X.Type(), x.Field)
		if base := e.lockPath(x.X, depth+1); base != "" && name != "" {
			return base + "." + name
		}
	case *ssa.IndexAddr:
		c, ok := x.Index.(*ssa.Const)
		if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
			return ""
		}
		if base := e.lockPath(x.X, depth+1); base != "" {
			return base + "[" + c.Value.ExactString() + "]"
		}
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return ""
		}
		if e.localVar(x.X, depth) != nil {
			// A variable of the function: the pointer stored into it,
			// when it is stored once.
			if s := e.storedIn(x.X); s != nil {
				return e.lockPath(s, depth+1)
			}
			return ""
		}
		if base := e.lockPath(x.X, depth+1); base != "" {
			return base + "*"
		}
	case *ssa.ChangeType:
		return e.lockPath(x.X, depth+1)
	}
	return ""
}

// restate returns a callee's lock path in the caller, from the arguments
// of the call, or "".
func (e *engine) restate(path string, args []ssa.Value) string {
	return restateWith(path, args, e.lockPath)
}

// restateWith returns a callee's access path in the caller, from the
// arguments of the call and pathOf, which gives an argument's own path,
// or "". A package-level path is the same in both.
func restateWith(path string, args []ssa.Value, pathOf func(ssa.Value, int) string) string {
	root, steps, ok := strings.Cut(path, "|")
	if !ok || root == "" {
		return ""
	}
	switch root[0] {
	case '@':
		return path
	case '$':
		i, err := strconv.Atoi(root[1:])
		if err != nil || i < 0 || i >= len(args) {
			return ""
		}
		if base := pathOf(args[i], 0); base != "" {
			return base + steps
		}
	}
	return ""
}

// portable reports whether a lock path means the same in the function's
// callers once restated: it starts at a parameter or a package-level
// variable.
func portable(path string) bool {
	return strings.HasPrefix(path, "$") || strings.HasPrefix(path, "@")
}

// boolIfs returns the boolean parameters of fn whose branch decides
// whether block b runs: an if on the parameter (or its negation) one of
// whose branches dominates b.
func boolIfs(fn *ssa.Function, b *ssa.BasicBlock) []TakeIf {
	if b == nil {
		return nil
	}
	var out []TakeIf
	for d := b.Idom(); d != nil; d = d.Idom() {
		if len(d.Instrs) == 0 || len(d.Succs) != 2 {
			continue
		}
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond, want := iff.Cond, true
		if n, ok := cond.(*ssa.UnOp); ok && n.Op == token.NOT {
			cond, want = n.X, false
		}
		p, ok := cond.(*ssa.Parameter)
		if !ok || p.Parent() != fn {
			continue
		}
		switch {
		case d.Succs[0].Dominates(b) && !d.Succs[1].Dominates(b):
		case d.Succs[1].Dominates(b) && !d.Succs[0].Dominates(b):
			want = !want
		default:
			continue
		}
		if i := paramIndex(p); i >= 0 {
			out = append(out, TakeIf{Param: i, Want: want})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Param < out[j].Param })
	return out
}

// restateIfs restates a callee's conditions in the caller: a constant
// argument decides the condition (happens reports whether the
// acquisition happens at all), a parameter of the caller carries it on.
// ok is false when an argument decides it in a way the caller cannot
// name.
func restateIfs(ifs []TakeIf, args []ssa.Value) (out []TakeIf, happens, ok bool) {
	for _, c := range ifs {
		if c.Param >= len(args) {
			return nil, false, false
		}
		switch a := args[c.Param].(type) {
		case *ssa.Const:
			if a.Value == nil || a.Value.Kind() != constant.Bool {
				return nil, false, false
			}
			if constant.BoolVal(a.Value) != c.Want {
				return nil, false, true
			}
		case *ssa.Parameter:
			if i := paramIndex(a); i >= 0 {
				out = append(out, TakeIf{Param: i, Want: c.Want})
				continue
			}
			return nil, false, false
		default:
			return nil, false, false
		}
	}
	return out, true, true
}

// relocking reports whether the walk records relocks and takes.
func (w *walker) relocking() bool { return w.record && w.mode != walkPrefix }

// acquireMutex records a direct Lock or RLock of the mutex at address v:
// a relock when the same path is held, the acquisition by path for the
// callers, then the acquisition itself.
func (w *walker) acquireMutex(kind Kind, v ssa.Value, pos token.Pos, held heldSet) heldSet {
	path := w.e.lockPath(v, 0)
	if path == "" {
		return w.acquire(kind, v, pos, held)
	}
	p := w.e.addrPlace(v, 0)
	if p.local {
		return w.acquire(kind, v, pos, held)
	}
	if w.relocking() {
		again := w.opAt(kind, p, pos)
		if h, ok := held.byPath(path); ok {
			w.sum.rl.addRelock(Relock{Held: h.op, Again: again})
		}
		if portable(path) {
			w.sum.rl.addTake(Take{Kind: kind, Path: path, Class: p.class, Name: p.short,
				If: boolIfs(w.fn, w.cur), Chain: again.Chain})
		}
	}
	return w.acquire(kind, v, pos, held).withPath(p.key, path)
}

// relockCall applies a callee's takes and relocks: a take of a path the
// caller holds (inside: the caller's locks less those the callee
// releases first) is a relock at the call, and the callee's own relocks
// are the caller's too. h is the call's hop.
func (w *walker) relockCall(s *Summary, args []ssa.Value, inside heldSet, h Hop) {
	if !w.relocking() || len(s.Takes)+len(s.Relocks) == 0 {
		return
	}
	for _, r := range s.Relocks {
		r.Held.Chain = prepend(h, r.Held.Chain)
		r.Again.Chain = prepend(h, r.Again.Chain)
		w.sum.rl.addRelock(r)
	}
	var ifs []TakeIf
	ifsDone := false
	for _, t := range s.Takes {
		path := w.e.restate(t.Path, args)
		if path == "" {
			continue
		}
		cond, happens, ok := restateIfs(t.If, args)
		if !ok || !happens {
			continue
		}
		chain := prepend(h, t.Chain)
		if len(cond) == 0 && !w.inDefer {
			// A deferred call runs at return, under the locks held then,
			// which the defer statement does not show.
			if held, ok := inside.byPath(path); ok {
				again := Op{Kind: t.Kind, Class: t.Class, Name: t.Name, Param: -1, Chain: chain}
				w.sum.rl.addRelock(Relock{Held: held.op, Again: again})
			}
		}
		if portable(path) {
			if !ifsDone {
				ifs, ifsDone = boolIfs(w.fn, w.cur), true
			}
			w.sum.rl.addTake(Take{Kind: t.Kind, Path: path, Class: t.Class, Name: t.Name,
				If: mergeIfs(cond, ifs), Chain: chain})
		}
	}
}

// keptPath returns the path, in the caller, of the lock that a callee
// returns holding (its Holds entry op), when its summary names one path
// for it; or "".
func (e *engine) keptPath(s *Summary, op Op, args []ssa.Value) string {
	path := ""
	for _, k := range s.Kept {
		if k.Kind != op.Kind || k.Class != op.Class || pathParam(k.Path) != op.Param {
			continue
		}
		if path != "" {
			return "" // two locks of the class: which one is unknown
		}
		path = k.Path
	}
	if path == "" {
		return ""
	}
	return e.restate(path, args)
}

// pathParam returns the parameter a lock path starts at, or -1.
func pathParam(path string) int {
	root, _, _ := strings.Cut(path, "|")
	if !strings.HasPrefix(root, "$") {
		return -1
	}
	i, err := strconv.Atoi(root[1:])
	if err != nil {
		return -1
	}
	return i
}

// mergeIfs returns the union of two sorted condition lists.
func mergeIfs(a, b []TakeIf) []TakeIf {
	if len(b) == 0 {
		return a
	}
	out := append(append([]TakeIf(nil), a...), b...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Param != out[j].Param {
			return out[i].Param < out[j].Param
		}
		return !out[i].Want && out[j].Want
	})
	k := 0
	for i, c := range out {
		if i == 0 || c != out[k-1] {
			out[k] = c
			k++
		}
	}
	return out[:k]
}

// Bounds on the relock data of a summary: the best witnesses are kept.
const (
	maxTakes   = 48
	maxRelocks = 8
)

// relockBuilder accumulates a summary's takes, kept locks and relocks.
type relockBuilder struct {
	takes   map[string]Take
	kept    map[string]Take
	relocks map[string]Relock
}

func takeKey(t Take) string {
	var b strings.Builder
	b.WriteString(t.Kind.String())
	b.WriteByte('|')
	b.WriteString(t.Path)
	for _, c := range t.If {
		b.WriteString("|" + strconv.Itoa(c.Param) + strconv.FormatBool(c.Want))
	}
	return b.String()
}

func (b *relockBuilder) addTake(t Take) {
	if b.takes == nil {
		b.takes = map[string]Take{}
	}
	k := takeKey(t)
	if old, ok := b.takes[k]; ok && !betterChain(t.Chain, old.Chain) {
		return
	}
	b.takes[k] = t
}

// keep records a lock the function returns holding.
func (b *relockBuilder) keep(h heldLock) {
	if !portable(h.path) || (h.op.Kind != KindLock && h.op.Kind != KindRLock) {
		return
	}
	if b.kept == nil {
		b.kept = map[string]Take{}
	}
	t := Take{Kind: h.op.Kind, Path: h.path, Class: h.op.Class, Name: h.op.Name}
	b.kept[takeKey(t)] = t
}

func relockKey(r Relock) string {
	return r.Held.Kind.String() + "|" + r.Again.Kind.String() + "|" + r.Again.Class + "|" + r.Again.Name
}

func (b *relockBuilder) addRelock(r Relock) {
	if b.relocks == nil {
		b.relocks = map[string]Relock{}
	}
	k := relockKey(r)
	if old, ok := b.relocks[k]; ok && !r.better(old) {
		return
	}
	b.relocks[k] = r
}

// better orders relocks: the shortest witnesses first, then by chain.
func (r Relock) better(o Relock) bool {
	a, b := len(r.Held.Chain)+len(r.Again.Chain), len(o.Held.Chain)+len(o.Again.Chain)
	if a != b {
		return a < b
	}
	if c := compareChains(r.Again.Chain, o.Again.Chain); c != 0 {
		return c < 0
	}
	return compareChains(r.Held.Chain, o.Held.Chain) < 0
}

// betterChain orders witnesses: the shortest first, then by chain.
func betterChain(a, b []Hop) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return compareChains(a, b) < 0
}

// fill stores the takes, kept locks and relocks into s, sorted.
func (b *relockBuilder) fill(s *Summary) {
	s.Takes = sortedTakes(b.takes, maxTakes)
	s.Kept = sortedTakes(b.kept, maxTakes)
	if len(b.relocks) == 0 {
		return
	}
	for _, r := range b.relocks {
		s.Relocks = append(s.Relocks, r)
	}
	sort.Slice(s.Relocks, func(i, j int) bool {
		a, b := s.Relocks[i], s.Relocks[j]
		if a.better(b) != b.better(a) {
			return a.better(b)
		}
		return relockKey(a) < relockKey(b)
	})
	if len(s.Relocks) > maxRelocks {
		s.Relocks = s.Relocks[:maxRelocks]
	}
}

func sortedTakes(m map[string]Take, max int) []Take {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	if len(keys) > max {
		// The shortest witnesses win.
		sort.Slice(keys, func(i, j int) bool {
			a, b := m[keys[i]], m[keys[j]]
			if len(a.Chain) != len(b.Chain) {
				return len(a.Chain) < len(b.Chain)
			}
			return keys[i] < keys[j]
		})
		keys = keys[:max]
	}
	sort.Strings(keys)
	out := make([]Take, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// sameRelocks compares the relock data of two summaries.
func sameRelocks(s, t *Summary) bool {
	return sameTakes(s.Takes, t.Takes) && sameTakes(s.Kept, t.Kept) &&
		len(s.Relocks) == len(t.Relocks) && func() bool {
		for i := range s.Relocks {
			if !sameOp(s.Relocks[i].Held, t.Relocks[i].Held) || !sameOp(s.Relocks[i].Again, t.Relocks[i].Again) {
				return false
			}
		}
		return true
	}()
}

func sameTakes(a, b []Take) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Kind != y.Kind || x.Path != y.Path || x.Class != y.Class || x.Name != y.Name ||
			len(x.If) != len(y.If) || len(x.Chain) != len(y.Chain) || compareChains(x.Chain, y.Chain) != 0 {
			return false
		}
		for j := range x.If {
			if x.If[j] != y.If[j] {
				return false
			}
		}
	}
	return true
}

// skipSelfRelocks is skipSelf for the chains of relocks.
func skipSelfRelocks(name string, rs []Relock) []Relock {
	if len(rs) == 0 {
		return nil
	}
	out := make([]Relock, len(rs))
	for i, r := range rs {
		r.Held.Chain = skipSelf(name, r.Held.Chain)
		r.Again.Chain = skipSelf(name, r.Again.Chain)
		out[i] = r
	}
	return out
}
