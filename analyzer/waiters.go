package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// This file recognises the wait of a semaphore that keeps a list of
// waiters (golang.org/x/sync/semaphore's Weighted, cockroachdb/fifo's
// Semaphore):
//
//	func (s *Semaphore) Acquire(ctx context.Context, n int64) error {
//		s.mu.Lock()
//		if s.cur+n <= s.size { s.cur += n; s.mu.Unlock(); return nil }
//		ready := make(chan struct{})
//		s.waiters.PushBack(waiter{n: n, ready: ready})
//		s.mu.Unlock()
//		select {
//		case <-ctx.Done(): ...
//		case <-ready:
//		}
//		return nil
//	}
//
// The method publishes a channel of its own in its receiver's state, and
// a Release of the same semaphore takes it from there to end the wait:
// the wait lasts as long as the holders of the semaphore's units keep
// them. That is taking a lock (a token of the semaphore), not a wait on a
// partner that is merely possible.

// maxCarriers bounds the values followed to see a channel published.
const maxCarriers = 32

// waiterPlace returns the semaphore whose waiter ch is, as the place of a
// token lock of the receiver's type, when w's function is a method that
// made ch (or took it from a pool) and published it in its receiver's
// state.
func (w *walker) waiterPlace(ch ssa.Value) (place, bool) {
	return waiterPlace(w.fn, ch)
}

func waiterPlace(fn *ssa.Function, ch ssa.Value) (place, bool) {
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return place{}, false
	}
	named := namedOf(fn.Params[0].Type())
	if named == nil || named.Obj().Pkg() == nil {
		return place{}, false
	}
	ch = unwrapValue(ch)
	switch x := ch.(type) {
	case *ssa.MakeChan:
	case *ssa.TypeAssert:
		if _, ok := x.X.(*ssa.Call); !ok {
			return place{}, false
		}
	default:
		return place{}, false
	}
	if !publishes(ch, fn.Params[0]) {
		return place{}, false
	}
	return semPlace(fn, named), true
}

// semPlace is the place of the token lock of a waiter-list semaphore of
// type named, the receiver of fn.
func semPlace(fn *ssa.Function, named *types.Named) place {
	obj := named.Obj()
	return place{
		class: qualifiedName(obj.Pkg(), obj.Name()),
		short: obj.Pkg().Name() + "." + obj.Name(),
		param: 0,
		key:   fn.Params[0].Name() + "#waiters",
	}
}

// waiterRelease returns the semaphore whose units a send on ch gives
// back: w's function is a method of a waiter-list semaphore and ch is a
// waiter's channel taken from the receiver's state.
func (w *walker) waiterRelease(ch ssa.Value) (place, bool) {
	fn := w.fn
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return place{}, false
	}
	named := namedOf(fn.Params[0].Type())
	if named == nil || !w.e.waiterTypes()[named] || !rootedAt(ch, fn.Params[0]) {
		return place{}, false
	}
	return semPlace(fn, named), true
}

// waiterTypes returns the package's waiter-list semaphore types: the
// receivers of methods that wait on a channel they published.
func (e *engine) waiterTypes() map[*types.Named]bool {
	if e.waiterSems != nil {
		return e.waiterSems
	}
	e.waiterSems = map[*types.Named]bool{}
	for _, fn := range e.funcs {
		if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var chans []ssa.Value
				switch x := instr.(type) {
				case *ssa.UnOp:
					if x.Op == token.ARROW {
						chans = append(chans, x.X)
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.RecvOnly {
							chans = append(chans, st.Chan)
						}
					}
				}
				for _, ch := range chans {
					if _, ok := waiterPlace(fn, ch); ok {
						e.waiterSems[namedOf(fn.Params[0].Type())] = true
					}
				}
			}
		}
	}
	return e.waiterSems
}

// publishes reports whether ch, or a value built from it (a struct
// holding it, a pointer to one, an interface), is stored in memory
// reached from recv or passed to a method of a value reached from recv
// (a waiter list's PushBack).
func publishes(ch ssa.Value, recv *ssa.Parameter) bool {
	seen := map[ssa.Value]bool{ch: true}
	work := []ssa.Value{ch}
	add := func(v ssa.Value) {
		if !seen[v] && len(seen) < maxCarriers {
			seen[v] = true
			work = append(work, v)
		}
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Val != v {
					continue
				}
				if rootedAt(r.Addr, recv) {
					return true
				}
				if a := localAlloc(r.Addr); a != nil {
					add(a)
				}
			case *ssa.UnOp:
				add(r) // a load of a struct that holds it
			case *ssa.MakeInterface:
				add(r)
			case *ssa.ChangeType:
				add(r)
			case *ssa.Slice:
				add(r) // the variadic slice of an append
			case ssa.CallInstruction:
				args := callArgs(r.Common())
				for i, a := range args {
					if a == v && i > 0 && rootedAt(args[0], recv) {
						return true
					}
				}
			}
		}
	}
	return false
}

// rootedAt reports whether the value v is reached from recv through
// field and element selections, pointer loads, type assertions and the
// results of methods of values so reached (a list's Front).
func rootedAt(v ssa.Value, recv *ssa.Parameter) bool {
	for range maxPlaceDepth {
		switch x := v.(type) {
		case *ssa.Parameter:
			return x == recv
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Index:
			v = x.X
		case *ssa.Slice:
			v = x.X
		case *ssa.UnOp:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.TypeAssert:
			v = x.X
		case *ssa.Extract:
			v = x.Tuple
		case *ssa.Call:
			args := callArgs(&x.Call)
			if len(args) == 0 {
				return false
			}
			v = args[0]
		default:
			return false
		}
	}
	return false
}

// localAlloc returns the local variable that the address v selects into.
func localAlloc(v ssa.Value) *ssa.Alloc {
	for range maxPlaceDepth {
		switch x := v.(type) {
		case *ssa.Alloc:
			return x
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		default:
			return nil
		}
	}
	return nil
}

// namedOf returns the named type of t or of what t points to.
func namedOf(t types.Type) *types.Named {
	n, _ := types.Unalias(deref(t)).(*types.Named)
	return n
}
