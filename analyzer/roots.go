package analyzer

import (
	"go/token"
	"go/types"
	"slices"
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
	notify ssa.CallInstruction // the call of signal.Notify that installs a signal handler
	target *ssa.Function       // the registered function
	// Locks are the lock acquisitions the root reaches, except those the
	// finalized-object rule exempts (listed in Exempt). Chains start at
	// the root's function (Label names it).
	Locks, Exempt []Op
	// Waits are the waits that can last forever the root reaches.
	Waits []Op
	// Chans are the channel operations the root performs, for cycles.
	Chans []Op
	// Before maps a lock class in Locks to the channel operations (a
	// close, a send, a receive, by class) that the root performs before it
	// takes that lock, on every path (see before).
	Before map[string][]Op
	// Alone lists the operations of Chans that only the root performs in
	// the program: no other code does that kind of operation on that
	// channel (see alone). A holder waiting for one of them waits for
	// the root.
	Alone []Op
	// Relocks are the mutexes the root takes again while it holds them
	// on the same path (see Relock), chains from the root's function.
	Relocks []Relock

	// fieldCalls are the calls of callback fields the root makes, chains
	// from the root's function; callback marks a root that runs a
	// function this package stores into such a field of an imported
	// root (see callbackroot.go).
	fieldCalls []FieldCall
	callback   bool

	// Install is set for a root of another module that a call of this
	// package installs (see install.go): Pos is that call.
	Install *Installed
}

// Label is the root's first hop: "finalizer (*Cursor).finalize", or, for
// a root that a call installs, with its package: "finalizer
// (*dep.Conn).finalize".
func (r *Root) Label() string {
	if r.Install != nil {
		return r.Kind.String() + " " + r.QName
	}
	return r.Kind.String() + " " + r.Name
}

// findRoots finds the finalizers and cleanups registered in the package.
func (e *engine) findRoots() []*Root {
	var roots []*Root
	for c := range e.calls {
		args := callArgs(c.Common())
		for _, ce := range e.callees(c) {
			for _, reg := range e.registrations(ce.fn) {
				if reg.index >= len(args) {
					continue
				}
				direct := false
				if obj := funcObject(ce.fn); obj != nil {
					_, direct = finalizerCalls[e.fullName(obj)]
				}
				for _, target := range e.funcValues(args[reg.index], 0) {
					r := e.newRoot(reg.kind, c, target)
					if direct {
						e.registrantWaits(r, c, args)
					}
					roots = append(roots, r)
				}
			}
		}
	}
	return roots
}

// registrantWaits drops from a root's waits the sends that the function
// registering it answers: a send on a channel that function made for the
// root (captured, or passed as the cleanup's argument), from which that
// function receives. The registrant waits for its root, the way a
// function waits for the future it starts ("finalizer ran" channels of
// tests).
func (e *engine) registrantWaits(r *Root, site ssa.CallInstruction, args []ssa.Value) {
	// The root function's parameter is the object (finalizer) or the
	// argument (cleanup).
	arg := 0
	if r.Kind == RootCleanup {
		arg = 2
	}
	received := map[string]bool{}
	for _, u := range e.chanIndex().uses {
		if u.kind == KindRecv {
			received[u.class] = true
		}
	}
	var kept []Op
	for _, op := range r.Waits {
		class := op.Class
		if class == "" && op.Param == 0 && arg < len(args) {
			class = e.chanPlace(args[arg], 0).class
		}
		if op.Kind == KindSend && !op.Select && (PerCallChannel(class) || onceChannel(class)) && received[class] &&
			madeBy(class, site.Parent()) {
			continue
		}
		kept = append(kept, op)
	}
	r.Waits = kept
}

// madeBy reports whether the channel class was made by fn or a function
// fn is nested in.
func madeBy(class string, fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		prefix := qualifiedName(fn.Pkg.Pkg, funcPath(fn))
		if strings.HasPrefix(class, prefix+perCallChan) || strings.HasPrefix(class, prefix+onceChan) {
			return true
		}
	}
	return false
}

// localInstance reports whether fn is an instance of a generic function
// of this package. Its code is the origin's code: roots are found in the
// origin only, or each registration would be a root once per instance.
func (e *engine) localInstance(fn *ssa.Function) bool {
	o := fn.Origin()
	return o != nil && o != fn && e.inPkg[o]
}

// A registration says which argument of a call is registered as a
// finalizer or cleanup (index), and which arguments are the object and
// the cleanup's argument (-1 when unknown or none).
type registration struct {
	kind     RootKind
	index    int
	obj, arg int
	via      *ssa.Function // the helper that forwards them, or nil
}

// registrations says which arguments of a call to fn are registered as
// finalizers or cleanups: SetFinalizer and AddCleanup themselves, and
// helpers whose summary forwards a parameter to them. Each function
// argument is listed once, with the first object and argument the
// summary gives for it that is a parameter.
func (e *engine) registrations(fn *ssa.Function) []registration {
	if obj := funcObject(fn); obj != nil {
		if reg, ok := finalizerCalls[e.fullName(obj)]; ok {
			return []registration{{kind: reg.kind, index: reg.index, obj: reg.obj, arg: reg.arg}}
		}
	}
	s := e.summaryOf(fn)
	if s == nil {
		return nil
	}
	var regs []registration
	for _, f := range s.Finalizes {
		reg := registration{kind: f.Kind, index: f.Param, obj: f.Obj, arg: f.Arg, via: fn}
		i := slices.IndexFunc(regs, func(r registration) bool { return r.kind == f.Kind && r.index == f.Param })
		switch {
		case i < 0:
			regs = append(regs, reg)
		case regs[i].obj < 0 && f.Obj >= 0:
			regs[i] = reg
		}
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

// newRoot makes the root for a finalizer or cleanup target registered at
// site.
func (e *engine) newRoot(kind RootKind, site ssa.CallInstruction, target *ssa.Function) *Root {
	r := &Root{Kind: kind, Pos: site.Pos(), Name: displayName(target, e.pkg), QName: displayName(target, nil), site: site, target: target}
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
	for _, op := range s.Locks {
		op.Chain = skipSelf(r.Name, op.Chain)
		if selfParam && op.Param == 0 && op.ByValue {
			r.Exempt = append(r.Exempt, op)
		} else {
			r.Locks = append(r.Locks, op)
		}
	}
	r.Waits = finalizedWaits(skipSelfAll(r.Name, s.Waits), selfParam)
	r.Locks = finalizedWaits(r.Locks, selfParam)
	r.Chans = skipSelfAll(r.Name, s.Chans)
	r.Relocks = skipSelfRelocks(r.Name, s.Relocks)
	r.fieldCalls = skipSelfCalls(r.Name, s.Calls)
	r.Before = e.before(target, r.Locks)
	if t := wrapped(target); e.inPkg[t] {
		own := e.owned([]*ssa.Function{t}, nil)
		r.Alone = e.alone(r.Chans, func(i ssa.Instruction) bool { return own[i.Parent()] })
	}
	return r
}

// finalizedWaits returns the waits (or locks) of a root. For a finalizer
// of the object its parameter points to (self), the goroutines that reach
// that object are gone: what a wait inherits from them does not apply,
// and a wait's EndAlone twin is a wait that can last forever. For any
// other root, the twins are no waits.
func finalizedWaits(ops []Op, self bool) []Op {
	var out []Op
	for _, op := range ops {
		switch {
		case self && op.Holder == 1 && op.End == EndAlone:
			op.End, op.Holder = EndPartner, 0
		case self && op.Holder == 1:
			continue
		case op.End == EndAlone:
			continue
		}
		out = append(out, op)
	}
	return out
}

// owned returns the functions of the package that only the given roots
// run: the roots themselves, and unexported functions and closures all
// of whose callers are owned. calls adds calls made by the root that are
// not in a function of its own (a signal handler's region).
func (e *engine) owned(roots []*ssa.Function, calls []ssa.CallInstruction) map[*ssa.Function]bool {
	own := map[*ssa.Function]bool{}
	for _, f := range roots {
		own[f] = true
	}
	fromCall := map[ssa.CallInstruction]bool{}
	for _, c := range calls {
		fromCall[c] = true
	}
	var work []*ssa.Function
	push := func(c ssa.CallInstruction) {
		for _, ce := range e.callees(c) {
			if e.inPkg[ce.fn] && !own[ce.fn] {
				work = append(work, ce.fn)
			}
		}
	}
	for _, f := range roots {
		if !e.hasBody(f) {
			continue
		}
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok {
					push(c)
				}
			}
		}
	}
	for _, c := range calls {
		push(c)
	}
	for len(work) > 0 {
		g := work[len(work)-1]
		work = work[:len(work)-1]
		if own[g] || len(e.callers[g]) == 0 || e.addressTaken(g) {
			continue
		}
		if obj, ok := g.Object().(*types.Func); ok && obj.Exported() {
			continue
		}
		all := true
		for _, c := range e.callers[g] {
			if !own[c.Parent()] && !fromCall[c] {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		own[g] = true
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok {
					push(c)
				}
			}
		}
	}
	return own
}

// addressTaken reports whether the package uses fn as a value (registers
// it, stores it), not only calls it: then code out of sight may run it.
func (e *engine) addressTaken(fn *ssa.Function) bool {
	if e.taken == nil {
		e.taken = map[*ssa.Function]bool{}
		for _, f := range e.funcs {
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					var callee ssa.Value
					if c, ok := instr.(ssa.CallInstruction); ok {
						callee = c.Common().Value
					}
					for _, op := range instr.Operands(nil) {
						if g, ok := (*op).(*ssa.Function); ok && ssa.Value(g) != callee {
							e.taken[g] = true
						}
					}
				}
			}
		}
	}
	return e.taken[fn]
}

// alone returns the operations of chans on channels of the package that
// no other code can perform: every operation of that kind on that class
// in the package is inside the root (owned), and the class is not one
// that another package can reach (an exported field or variable).
func (e *engine) alone(chans []Op, owned func(ssa.Instruction) bool) []Op {
	var out []Op
	uses := e.chanIndex().uses
	for _, op := range chans {
		if op.Class == "" || op.Select || !e.privateClass(op.Class) {
			continue
		}
		ok := true
		for _, u := range uses {
			if u.class == op.Class && u.kind == op.Kind && !owned(u.instr) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, op)
		}
	}
	return out
}

// privateClass reports whether class names a channel of this package that
// other packages cannot reach by name: an unexported field or variable,
// or a channel a function makes.
func (e *engine) privateClass(class string) bool {
	prefix := e.pkg.Path() + "."
	if !strings.HasPrefix(class, prefix) {
		return false
	}
	rest := strings.TrimSuffix(class[len(prefix):], elemSuffix)
	if strings.Contains(rest, "$") {
		return true // made by a function
	}
	last := rest[strings.LastIndexByte(rest, '.')+1:]
	return last != "" && !token.IsExported(last)
}

// before returns, for each lock class in locks, the channel operations
// that fn performs before every call in fn through which it takes that
// lock (the first hop of the lock's witness). A holder of the lock that
// waits for one of them is not waiting for the root: a select on a
// channel the root closed returns, a goroutine the holder waits for has
// been answered. fn is the root's function: a registered method value's
// wrapper is looked through.
//
//	func (db *DB) Close() {
//		close(db.closeC) // every select on <-db.closeC returns
//		db.tr.lk.Lock()
func (e *engine) before(fn *ssa.Function, locks []Op) map[string][]Op {
	fn = wrapped(fn)
	if fn == nil || !e.hasBody(fn) {
		return nil
	}
	var out map[string][]Op
	for _, op := range locks {
		if op.Class == "" || len(op.Chain) == 0 || out[op.Class] != nil {
			continue
		}
		var common []Op
		for i, a := range e.callsAt(fn, op.Chain[0]) {
			ops := e.opsBefore(fn, a)
			if i == 0 {
				common = ops
				continue
			}
			common = slices.DeleteFunc(common, func(x Op) bool { return !hasOp(ops, x.Kind, x.Class) })
		}
		if len(common) > 0 {
			if out == nil {
				out = map[string][]Op{}
			}
			out[op.Class] = common
		}
	}
	return out
}

// opsBefore returns the channel operations fn performs for sure before
// instruction at: its feeds (closes and sends) and its receives, as Ops
// with only Kind and Class set.
func (e *engine) opsBefore(fn *ssa.Function, at ssa.Instruction) []Op {
	var out []Op
	add := func(k Kind, c string) {
		if c != "" && !hasOp(out, k, c) {
			out = append(out, Op{Kind: k, Class: c})
		}
	}
	for _, f := range e.feedsOf(fn) {
		if f.at != at && before(f.at, at) {
			if f.close {
				add(KindClose, f.class)
			} else {
				add(KindSend, f.class)
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if r, ok := instr.(*ssa.UnOp); ok && r.Op == token.ARROW && before(r, at) {
				add(KindRecv, e.chanPlace(r.X, 0).class)
			}
		}
	}
	return out
}

// hasOp reports whether ops has an operation of kind on class.
func hasOp(ops []Op, kind Kind, class string) bool {
	return slices.ContainsFunc(ops, func(x Op) bool { return x.Kind == kind && x.Class == class })
}

// callsAt returns the calls in fn at the position of hop h.
func (e *engine) callsAt(fn *ssa.Function, h Hop) []ssa.Instruction {
	if h.File == "" {
		return nil
	}
	var out []ssa.Instruction
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(ssa.CallInstruction); ok && instr.Pos().IsValid() {
				if at := e.at(instr.Pos()); at.File == h.File && at.Line == h.Line {
					out = append(out, instr)
				}
			}
		}
	}
	return out
}

// wrapped returns the method that a bound-method or method-expression
// wrapper calls, or fn itself.
func wrapped(fn *ssa.Function) *ssa.Function {
	if fn == nil || fn.Synthetic == "" {
		return fn
	}
	var callee *ssa.Function
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if callee != nil {
					return fn
				}
				callee = c.Common().StaticCallee()
			}
		}
	}
	if callee == nil {
		return fn
	}
	return callee
}

// skipSelf drops a first hop that names the root again: the call a thunk
// or bound-method wrapper makes to the method it wraps.
func skipSelf(name string, chain []Hop) []Hop {
	if len(chain) > 1 && chain[0].Func == name && !chain[0].Join {
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

// stdRootSummary says what a standard library function registered directly
// as a finalizer or cleanup does (runtime.AddCleanup(p, (*exec.Cmd).Wait, c)),
// from the table: std has no summaries.
func stdRootSummary(target *ssa.Function) *Summary {
	obj := funcObject(target)
	if obj == nil || obj.Pkg() == nil || !isStd(obj.Pkg().Path()) {
		return nil
	}
	if _, ok := worldCalls[obj.FullName()]; ok {
		return &Summary{Waits: []Op{{Kind: KindWait, Name: worldName(obj.FullName()), End: EndWorld, Param: -1}}}
	}
	if obj.FullName() == condWait {
		return &Summary{Waits: []Op{{Kind: KindWait, Name: condWait, End: EndPartner, Param: -1}}}
	}
	return nil
}
