package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// RootKind says how Go runs a root.
type RootKind uint8

// The kinds of root.
const (
	RootFinalizer RootKind = iota + 1 // runtime.SetFinalizer
	RootCleanup                       // runtime.AddCleanup
	RootSignal                        // code after a receive from a signal.Notify channel
)

func (k RootKind) String() string {
	switch k {
	case RootFinalizer:
		return "finalizer"
	case RootCleanup:
		return "cleanup"
	case RootSignal:
		return "signal handler"
	}
	return "root"
}

func rootKindOf(s string) RootKind {
	for k := RootFinalizer; k <= RootSignal; k++ {
		if k.String() == s {
			return k
		}
	}
	return 0
}

// A Root is code that runs at a moment the program does not choose, with
// what it can reach. Every Op's chain starts with the root itself.
type Root struct {
	Kind RootKind
	// Pos is where diagnostics go: the registration call, or the receive
	// from the signal channel.
	Pos token.Pos
	// Name names the root's function ("(*Cursor).finalize").
	Name string
	// QName names it with its package ("(*db.Cursor).finalize"), for
	// importers.
	QName string

	site   ssa.CallInstruction // the registration, for finalizers and cleanups
	target *ssa.Function       // the registered function
	// Locks are the lock acquisitions the root reaches, except those the
	// finalized-object rule exempts (listed in Exempt).
	Locks, Exempt []Op
	// Waits are the unbounded waits the root reaches.
	Waits []Op
	// Chans are the channel operations the root performs, for cycles.
	Chans []Op
	// ClosedBefore maps a lock class in Locks to the channel classes the
	// root closes before it takes that lock (see closedBefore).
	ClosedBefore map[string][]string
}

// Label is the root's first hop: "finalizer (*Cursor).finalize".
func (r *Root) Label() string { return r.Kind.String() + " " + r.Name }

// findRoots finds the finalizers and cleanups registered in the package.
func (e *engine) findRoots() []*Root {
	var roots []*Root
	for _, fn := range e.funcs {
		if e.localInstance(fn) {
			continue
		}
		first := len(roots)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				args := callArgs(c.Common())
				for _, ce := range e.callees(c) {
					for _, reg := range e.registrations(ce.fn) {
						if reg.index >= len(args) {
							continue
						}
						for _, target := range e.funcValues(args[reg.index], 0) {
							r := e.newRoot(reg.kind, c.Pos(), target)
							r.site, r.target = c, target
							roots = append(roots, r)
						}
					}
				}
			}
		}
		for _, r := range roots[first:] {
			e.dropBufferedSends(fn, r, len(roots)-first)
		}
	}
	return roots
}

// dropBufferedSends drops from a root's waits the sends that cannot block:
// a send made directly by the root, outside loops, on a channel that the
// registering function made with a buffer large enough for every send of
// every root it registers, when the registration itself is outside loops.
// This is the "finalizer ran" channel of tests: make(chan bool, 1), one
// registration, one send.
func (e *engine) dropBufferedSends(fn *ssa.Function, r *Root, regs int) {
	if r.site == nil || r.target == nil || len(r.target.Blocks) == 0 || inLoop(r.site.Block()) {
		return
	}
	room := map[string]int64{} // channel class → buffer size
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeChan); ok {
				if size, ok := mc.Size.(*ssa.Const); ok && size.Value != nil {
					if n, exact := constant.Int64Val(constant.ToInt(size.Value)); exact && n > 0 {
						if cl := e.chanPlace(mc, 0).class; cl != "" {
							room[cl] = n
						}
					}
				}
			}
		}
	}
	if len(room) == 0 {
		return
	}
	const many = 1 << 20 // a send that may run any number of times
	sends := map[string]int64{}
	for _, b := range r.target.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send:
				n := int64(1)
				if inLoop(b) {
					n = many
				}
				sends[e.chanPlace(x.Chan, 0).class] += n
			case *ssa.Select:
				for _, st := range x.States {
					if st.Dir == types.SendOnly {
						sends[e.chanPlace(st.Chan, 0).class] += many
					}
				}
			}
		}
	}
	var kept []Op
	for _, op := range r.Waits {
		n, ok := room[op.Class]
		if ok && op.Kind == KindSend && len(op.Chain) == 2 && sends[op.Class]*int64(regs) <= n {
			continue
		}
		kept = append(kept, op)
	}
	r.Waits = kept
}

// inLoop reports whether block b can run more than once per call.
func inLoop(b *ssa.BasicBlock) bool { return repeats(b, nil) }

// localInstance reports whether fn is an instance of a generic function
// of this package. Its code is the origin's code: roots are found in the
// origin only, or each registration would be a root once per instance.
func (e *engine) localInstance(fn *ssa.Function) bool {
	o := fn.Origin()
	return o != nil && o != fn && e.inPkg[o]
}

type registration struct {
	kind  RootKind
	index int
}

// registrations says which arguments of a call to fn are registered as
// finalizers or cleanups: SetFinalizer and AddCleanup themselves, and
// helpers whose summary forwards a parameter to them.
func (e *engine) registrations(fn *ssa.Function) []registration {
	if obj := funcObject(fn); obj != nil {
		if reg, ok := finalizerCalls[e.fullName(obj)]; ok {
			return []registration{{reg.kind, reg.index}}
		}
	}
	s := e.summaryOf(fn)
	if s == nil {
		return nil
	}
	var regs []registration
	for _, op := range s.Finalizes {
		regs = append(regs, registration{rootKindOf(op.What), op.Param})
	}
	return regs
}

// funcValues returns the functions the function value v may be.
func (e *engine) funcValues(v ssa.Value, depth int) []*ssa.Function {
	if depth > maxPlaceDepth {
		return nil
	}
	switch x := v.(type) {
	case *ssa.Function:
		return []*ssa.Function{x}
	case *ssa.MakeClosure:
		if fn, ok := x.Fn.(*ssa.Function); ok {
			return []*ssa.Function{fn}
		}
	case *ssa.MakeInterface:
		return e.funcValues(x.X, depth+1)
	case *ssa.ChangeType:
		return e.funcValues(x.X, depth+1)
	case *ssa.ChangeInterface:
		return e.funcValues(x.X, depth+1)
	case *ssa.FreeVar:
		if b := e.binding(x); b != nil {
			return e.funcValues(b, depth+1)
		}
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if s := e.storedIn(x.X); s != nil {
				return e.funcValues(s, depth+1)
			}
		}
	case *ssa.Phi:
		var out []*ssa.Function
		for _, edge := range x.Edges {
			if edge != v {
				out = append(out, e.funcValues(edge, depth+1)...)
			}
		}
		return out
	}
	return nil
}

// newRoot makes the root for a finalizer or cleanup target registered at pos.
func (e *engine) newRoot(kind RootKind, pos token.Pos, target *ssa.Function) *Root {
	r := &Root{Kind: kind, Pos: pos, Name: displayName(target, e.pkg), QName: displayName(target, nil)}
	s := e.summaryOf(target)
	if s == nil {
		s = stdRootSummary(target)
	}
	if s == nil {
		return r
	}
	// The finalizer's parameter is the object being finalized; a bound
	// method value's parameter is not.
	selfParam := kind == RootFinalizer && !strings.HasSuffix(target.Name(), "$bound")
	label := r.Label()
	for _, op := range s.Locks {
		op.Chain = prepend(label, skipSelf(r.Name, op.Chain))
		if selfParam && op.Param == 0 && op.ByValue {
			r.Exempt = append(r.Exempt, op)
		} else {
			r.Locks = append(r.Locks, op)
		}
	}
	r.Waits = withLabel(label, skipSelfAll(r.Name, s.Waits))
	r.Chans = withLabel(label, skipSelfAll(r.Name, s.Chans))
	r.ClosedBefore = e.closedBefore(target, r.Locks)
	return r
}

// skipSelf drops a first hop that names the root again: the call a thunk
// or bound-method wrapper makes to the method it wraps.
func skipSelf(name string, chain []string) []string {
	if len(chain) > 1 && (chain[0] == name || strings.HasPrefix(chain[0], name+" (")) {
		return chain[1:]
	}
	return chain
}

func skipSelfAll(name string, ops []Op) []Op {
	out := make([]Op, len(ops))
	for i, op := range ops {
		op.Chain = skipSelf(name, op.Chain)
		out[i] = op
	}
	return out
}

func withLabel(label string, ops []Op) []Op {
	out := make([]Op, len(ops))
	for i, op := range ops {
		op.Chain = prepend(label, op.Chain)
		out[i] = op
	}
	return out
}

// stdRootSummary says what a standard library function registered directly
// as a finalizer or cleanup does (runtime.AddCleanup(p, time.Sleep, d)),
// from the table: std has no summaries.
func stdRootSummary(target *ssa.Function) *Summary {
	obj := funcObject(target)
	if obj == nil || obj.Pkg() == nil || !isStd(obj.Pkg().Path()) {
		return nil
	}
	what := waitCalls[obj.FullName()]
	if what == "" {
		return nil
	}
	return &Summary{Waits: []Op{{Kind: KindWait, What: what, Param: -1}}}
}
