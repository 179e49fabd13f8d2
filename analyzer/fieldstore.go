package analyzer

import (
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// Registering methods: a function that stores the function its parameter
// holds into a callback field (l.onShutdown = append(l.onShutdown, f)),
// itself or through a function it calls, says so in its summary
// (Summary.Stores), so that an importer's call of it is a store of its
// argument into that field (see callbackroot.go).

// findStores finds the callback fields the package's functions store
// their parameters into, and the unexported ones among them that an
// exported function stores into: only those can hold functions of other
// packages. Direct stores are found in one walk; stores through calls
// are propagated to a fixed point over the calls that can pass a
// parameter on. It needs the call graph, not the summaries.
func (e *engine) findStores() {
	stores := map[*ssa.Function][]FieldStore{}
	type passOn struct {
		fn   *ssa.Function
		call ssa.CallInstruction
	}
	var calls []passOn
	for _, fn := range e.funcs {
		if e.localInstance(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Store:
					if field, _ := callbackPlace(x.Addr); field != "" {
						for _, p := range storedParams(x.Val) {
							stores[fn] = addStore(stores[fn], FieldStore{Param: p, Field: field})
						}
					}
				case ssa.CallInstruction:
					if _, isGo := x.(*ssa.Go); isGo || !passesParam(x.Common()) {
						continue
					}
					calls = append(calls, passOn{fn, x})
				}
			}
		}
	}
	for round := 0; round <= len(calls) && round < 8; round++ {
		changed := false
		for _, pc := range calls {
			args := callArgs(pc.call.Common())
			for _, ce := range e.callees(pc.call) {
				var callee []FieldStore
				if e.inPkg[ce.fn] {
					callee = stores[ce.fn]
				} else if s := e.summaryOf(ce.fn); s != nil {
					callee = s.Stores
				}
				for _, st := range callee {
					if st.Param >= len(args) {
						continue
					}
					if p, ok := asParam(args[st.Param]); ok {
						n := len(stores[pc.fn])
						stores[pc.fn] = addStore(stores[pc.fn], FieldStore{Param: p, Field: st.Field})
						changed = changed || len(stores[pc.fn]) != n
					}
				}
			}
		}
		if !changed {
			break
		}
	}
	e.fieldStores = stores
	e.registrable = map[string]bool{}
	for fn, list := range stores {
		if obj, ok := fn.Object().(*types.Func); ok && obj.Exported() {
			for _, st := range list {
				e.registrable[st.Field] = true
			}
		}
	}
}

// attachStores adds to the summaries of the package's functions the
// callback fields they store their parameters into.
func (e *engine) attachStores() {
	for _, fn := range e.funcs {
		if len(e.fieldStores[fn]) == 0 {
			continue
		}
		s := e.summaries[fn]
		if s == nil {
			s = new(Summary)
			e.summaries[fn] = s
		}
		s.Stores = e.fieldStores[fn]
	}
}

// passesParam reports whether a call passes one of its function's
// parameters as an argument.
func passesParam(c *ssa.CallCommon) bool {
	for _, a := range callArgs(c) {
		if _, ok := asParam(a); ok {
			return true
		}
	}
	return false
}

// addStore adds st to the sorted list, once.
func addStore(list []FieldStore, st FieldStore) []FieldStore {
	if slices.Contains(list, st) {
		return list
	}
	list = append(list, st)
	sort.Slice(list, func(i, j int) bool {
		if list[i].Param != list[j].Param {
			return list[i].Param < list[j].Param
		}
		return list[i].Field < list[j].Field
	})
	return list
}

// storedParams returns the parameters whose functions the stored value v
// holds: the parameter itself, or, for an append, the parameters it
// appends (one by one, or spread: append(l.hooks, fs...)).
func storedParams(v ssa.Value) []int {
	if p, ok := asParam(v); ok {
		return []int{p}
	}
	c, ok := v.(*ssa.Call)
	if !ok || !isAppend(c) || len(c.Call.Args) != 2 {
		return nil
	}
	if p, ok := asParam(c.Call.Args[1]); ok {
		return []int{p}
	}
	var out []int
	for _, el := range sliceElems(c.Call.Args[1]) {
		if p, ok := asParam(el); ok && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// sliceElems returns the values stored into the elements of the slice s
// when s slices an array the function makes: a slice literal, or the
// arguments of a variadic call.
func sliceElems(s ssa.Value) []ssa.Value {
	sl, ok := s.(*ssa.Slice)
	if !ok {
		return nil
	}
	a, ok := sl.X.(*ssa.Alloc)
	if !ok || a.Referrers() == nil {
		return nil
	}
	var out []ssa.Value
	for _, r := range *a.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, rr := range *ia.Referrers() {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out
}
