package analyzer

import (
	"go/token"
	"slices"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// The importer's side of callback facts: a function that the package
// stores into a field that a root of an imported package calls runs as
// part of that root. It becomes a root of this package, positioned at
// the store (or the call of the registering method), whose witness is
// the root's path to the call of the field, a dynamic hop to the
// function, then the function's own path.

// ownCallbacks returns the calls of callback fields that the package's
// roots make, for the package fact.
func (e *engine) ownCallbacks(roots []*Root) []Callback {
	var out []Callback
	for _, r := range roots {
		if r.callback {
			continue
		}
		for _, fc := range r.fieldCalls {
			out = append(out, Callback{Kind: r.Kind, Root: r.QName, Call: fc})
		}
	}
	return out
}

// A rootCallback is a callback whose stores in this package make roots,
// with the name of its root as this package names it.
type rootCallback struct {
	Callback
	name string
}

// mergeCallbacks merges the callbacks of package facts: once per root,
// field and set of held locks, the shortest witness, at most
// maxCallbacks in a fixed order.
func mergeCallbacks(lists ...[]Callback) []Callback {
	type key struct{ kind, root, field, held string }
	best := map[key]Callback{}
	for _, list := range lists {
		for _, cb := range list {
			k := key{cb.Kind.String(), cb.Root, cb.Call.Field, heldClasses(cb.Call.Held)}
			if old, ok := best[k]; !ok || betterChain(cb.Call.Chain, old.Call.Chain) {
				best[k] = cb
			}
		}
	}
	keys := make([]key, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.field != b.field {
			return a.field < b.field
		}
		if a.root != b.root {
			return a.root < b.root
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.held < b.held
	})
	if len(keys) > maxCallbacks {
		keys = keys[:maxCallbacks]
	}
	var out []Callback
	for _, k := range keys {
		out = append(out, best[k])
	}
	return out
}

// callbackRoots returns the roots that the package's stores of functions
// into the fields of cbs make: assignments, appends and composite
// literals, and calls of registering methods (see Summary.Stores).
func (e *engine) callbackRoots(cbs []rootCallback) []*Root {
	if len(cbs) == 0 {
		return nil
	}
	byField := map[string][]rootCallback{}
	for _, cb := range cbs {
		byField[cb.Call.Field] = append(byField[cb.Call.Field], cb)
	}
	var roots []*Root
	add := func(field string, pos token.Pos, v, base ssa.Value) {
		list := byField[field]
		if len(list) == 0 {
			return
		}
		for _, fn := range e.storedFuncs(v) {
			for _, cb := range list {
				if r := e.callbackRoot(cb, fn, pos, closureBindings(v, fn), base); r != nil {
					roots = append(roots, r)
				}
			}
		}
	}
	for _, fn := range e.funcs {
		if e.localInstance(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Store:
					switch a := x.Addr.(type) {
					case *ssa.FieldAddr:
						if field := callbackField(a); field != "" {
							add(field, storePos(x), x.Val, a.X)
						}
					case *ssa.Global:
						if v := callbackVar(a); v != "" {
							add(v, storePos(x), x.Val, nil)
						}
					}
				case ssa.CallInstruction:
					if _, isGo := x.(*ssa.Go); isGo {
						continue
					}
					args := callArgs(x.Common())
					for _, ce := range e.callees(x) {
						if e.inPkg[ce.fn] {
							continue // its own stores are found in it
						}
						if s := e.summaryOf(ce.fn); s != nil {
							for _, st := range s.Stores {
								if st.Param < len(args) && len(args) > 0 {
									add(st.Field, x.Pos(), args[st.Param], args[0])
								}
							}
						}
					}
				}
			}
		}
	}
	return roots
}

// sameValue reports whether a and b are the same value: the same SSA
// value, or loads of one local variable, or a load of a variable stored
// into once and the value stored.
func sameValue(a, b ssa.Value) bool {
	val := func(v ssa.Value) ssa.Value {
		k := nilKey(v)
		if cell, ok := k.(*ssa.Alloc); ok {
			if s := storedValue(cell); s != nil {
				return s
			}
		}
		return k
	}
	return a == b || val(a) == val(b)
}

// closureBindings returns the values that the closure or bound method
// fn, stored as (or in) v, has its free variables bound to, or nil.
func closureBindings(v ssa.Value, fn *ssa.Function) []ssa.Value {
	for _, val := range storedElems(v) {
		if mc, ok := unwrapValue(val).(*ssa.MakeClosure); ok && mc.Fn == fn {
			return bound(mc)
		}
	}
	return nil
}

// storePos returns the position of a store, or of the value it stores
// when the store has none (a composite literal's field).
func storePos(st *ssa.Store) token.Pos {
	if st.Pos().IsValid() {
		return st.Pos()
	}
	return st.Val.Pos()
}

// storedElems returns the function values that the stored value v is:
// v itself, or the elements of a slice literal or of what an append adds.
func storedElems(v ssa.Value) []ssa.Value {
	switch x := v.(type) {
	case *ssa.Call:
		if isAppend(x) && len(x.Call.Args) == 2 {
			return sliceElems(x.Call.Args[1])
		}
		return nil
	case *ssa.Slice:
		return sliceElems(x)
	}
	return []ssa.Value{v}
}

// storedFuncs returns the functions that the stored value v holds: a
// function value, or the elements of a slice literal or of what an
// append adds.
func (e *engine) storedFuncs(v ssa.Value) []*ssa.Function {
	var out []*ssa.Function
	for _, val := range storedElems(v) {
		for _, fn := range e.funcValues(val, 0) {
			if !slices.Contains(out, fn) {
				out = append(out, fn)
			}
		}
	}
	return out
}

// callbackRoot returns the root that running fn as the callback cb makes:
// what fn does, its witness behind the root's path to the call, and the
// locks held at the call that fn takes again; nil when fn does nothing a
// rule looks at. bound holds the values fn's free variables are bound to
// where it is stored, and base the object it is stored into (or the
// receiver of the registering call).
func (e *engine) callbackRoot(cb rootCallback, fn *ssa.Function, pos token.Pos, bound []ssa.Value, base ssa.Value) *Root {
	s := e.summaryOf(fn)
	if s == nil || len(cb.Call.Chain) == 0 {
		return nil
	}
	name := e.callName(fn)
	chain := cb.Call.Chain
	call := chain[len(chain)-1]
	call.Func, call.Dynamic = name, true
	prefix := append(slices.Clone(chain[:len(chain)-1]), call)
	flat := func(op Op) Op {
		op.Param, op.ByValue, op.Guard, op.Holder = -1, false, nil, 0
		op.Chain = concat(prefix, skipSelf(name, op.Chain))
		return op
	}
	r := &Root{Kind: cb.Kind, Pos: pos, Name: cb.name, QName: cb.Root, target: fn, callback: true}
	for _, op := range s.Locks {
		if op.Class != "" {
			r.Locks = append(r.Locks, flat(op))
		}
	}
	for _, op := range finalizedWaits(s.Waits, false) {
		r.Waits = append(r.Waits, flat(op))
	}
	for _, op := range s.Chans {
		if op.Class != "" {
			r.Chans = append(r.Chans, flat(op))
		}
	}
	for _, rl := range s.Relocks {
		rl.Held, rl.Again = flat(rl.Held), flat(rl.Again)
		r.Relocks = append(r.Relocks, rl)
	}
	// A lock the root holds at the call that the callback takes again:
	// by class, as the root's fact names it; for a lock the callback
	// reaches from what it captures, only on the object it is stored
	// into (l.OnShutdown(func() { l.Close() })): another object's lock
	// of the class is another instance (t.cache.Delete(k, func() {
	// t.bcache.EvictNS(n) })).
	for _, held := range cb.Call.Held {
		for i, op := range r.Locks {
			if in := s.Locks[i].Param - len(fn.Params); s.Locks[i].Param >= 0 && (in < 0 || in >= len(bound) || base == nil || !sameValue(bound[in], base)) {
				continue
			}
			if op.Class == held.Class && op.Kind != KindToken && !hasJoin(op.Chain) {
				r.Relocks = append(r.Relocks, Relock{Held: held, Again: op})
				break
			}
		}
	}
	r.Relocks = append(r.Relocks, e.callbackCycles(cb, fn, s, base, flat)...)
	if len(r.Locks)+len(r.Waits)+len(r.Relocks) == 0 {
		return nil
	}
	return r
}

// hasJoin reports whether chain waits for a goroutine: an operation of
// that goroutine, not of the root (see callbackcycle.go).
func hasJoin(chain []Hop) bool {
	return slices.ContainsFunc(chain, func(h Hop) bool { return h.Join })
}

// exchangeCallbacks exports the package fact of callbacks: those the
// package's roots call, merged with those of the packages it imports.
// It returns those whose stores in this package make roots: the
// imported ones, and those of the package's own roots that a function
// of another package calls. A field the package's own code calls is a
// dynamic call its call graph resolves already.
func (e *engine) exchangeCallbacks(roots []*Root) []rootCallback {
	if !e.facts {
		return nil
	}
	var imported [][]Callback
	for _, imp := range e.pkg.Imports() {
		var c Callbacks
		if !isStd(imp.Path()) && e.pass.ImportPackageFact(imp, &c) {
			imported = append(imported, c.List)
		}
	}
	in := mergeCallbacks(imported...)
	if all := mergeCallbacks(in, e.ownCallbacks(roots)); len(all) > 0 {
		e.pass.ExportPackageFact(&Callbacks{List: all})
	}
	var out []rootCallback
	for _, cb := range in {
		out = append(out, rootCallback{cb, cb.Root})
	}
	for _, r := range roots {
		for _, fc := range r.fieldCalls {
			if fc.Pkg != e.pkg.Path() {
				out = append(out, rootCallback{Callback{Kind: r.Kind, Root: r.QName, Call: fc}, r.Name})
			}
		}
	}
	return out
}

// skipSelfCalls is skipSelf for the chains of field calls.
func skipSelfCalls(name string, calls []FieldCall) []FieldCall {
	if len(calls) == 0 {
		return nil
	}
	out := make([]FieldCall, len(calls))
	for i, fc := range calls {
		fc.Chain = skipSelf(name, fc.Chain)
		if len(fc.Held) > 0 {
			fc.Held = skipSelfAll(name, fc.Held)
		}
		out[i] = fc
	}
	return out
}
