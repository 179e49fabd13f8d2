package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A future is a channel that carries one goroutine's results back to the
// function that started it:
//
//	ch := make(chan result, 1)
//	go func() { ch <- work() }()
//	r := <-ch
//
// or, for a producer, a channel the goroutine closes when it is done:
//
//	ch := make(chan *Desc, 10)
//	go func() { c.Describe(ch); close(ch) }()
//	for d := range ch { ... }
//
// A receive waits for what the goroutine does before it sends or closes,
// no more: it is a call of the goroutine's function run elsewhere. And
// the goroutine's sends do not wait for ever, for its receiver is there.
type future struct {
	start *ssa.Go       // the go statement
	fn    *ssa.Function // the goroutine's function
	args  []ssa.Value   // its arguments, to translate its summary
	class string        // the channel's class, for the goroutine's sends
}

// findFutures finds the package's futures: a channel made in a function
// and used there only by one go statement and by receives, each after the
// go statement; once per make. Either the goroutine uses the channel only
// to send on it, sending on every path to its return, and there is one
// receive, which every path from the go statement reaches; or the
// goroutine closes the channel on every path (a producer, which may also
// send on it and hand it to the functions it calls).
func (e *engine) findFutures() {
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeChan); ok {
					e.future(mc)
				}
			}
		}
	}
}

func (e *engine) future(mc *ssa.MakeChan) {
	var (
		start *ssa.Go
		recvs []*ssa.UnOp
		inner ssa.Value // the channel, or its variable, inside the goroutine
		fn    *ssa.Function

		drained []*ssa.UnOp           // receives in closures that drain the channel
		calls   []ssa.CallInstruction // the calls of those closures
	)
	// The channel's values in the function: the channel, and the loads
	// of the variable that holds it when a closure captures it.
	vals := []ssa.Value{mc}
	for _, r := range *mc.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok {
			continue
		}
		cell, ok := st.Addr.(*ssa.Alloc)
		if !ok || st.Val != ssa.Value(mc) || storedValue(cell) != ssa.Value(mc) {
			return
		}
		vals = append(vals, cell)
	}
	for i := 0; i < len(vals); i++ {
		v := vals[i]
		_, isCell := v.(*ssa.Alloc)
		for _, r := range *v.Referrers() {
			switch x := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Store:
				if x.Val != ssa.Value(mc) || (isCell && x.Addr != v) {
					return
				}
			case *ssa.UnOp:
				switch {
				case isCell && x.Op == token.MUL:
					vals = append(vals, x)
				case !isCell && x.Op == token.ARROW:
					recvs = append(recvs, x)
				default:
					return
				}
			case *ssa.ChangeType: // to a send-only channel
				if isCell {
					return
				}
				vals = append(vals, x)
			case *ssa.MakeClosure:
				g := onlyGo(x)
				if g == nil {
					// A closure that only receives (a deferred drain),
					// called or deferred after the go statement.
					rs, sites := drains(x, v)
					if rs == nil {
						return
					}
					drained = append(drained, rs...)
					calls = append(calls, sites...)
					continue
				}
				if start != nil {
					return
				}
				f := x.Fn.(*ssa.Function)
				for j, b := range x.Bindings {
					if b == v {
						inner = f.FreeVars[j]
					}
				}
				start, fn = g, f
			case *ssa.Go:
				f := x.Call.StaticCallee()
				if f == nil || start != nil || isCell {
					return
				}
				for j, a := range x.Call.Args {
					if a == v && j < len(f.Params) {
						inner = f.Params[j]
					}
				}
				start, fn = x, f
			default:
				return
			}
		}
	}
	if start == nil || len(recvs) == 0 || inner == nil || len(fn.Blocks) == 0 || start.Parent() != mc.Parent() ||
		repeats(start.Block(), mc.Block()) {
		return
	}
	for _, r := range recvs {
		if r.Parent() != mc.Parent() || !before(start, r) {
			return
		}
	}
	for _, c := range calls {
		if !before(start, c) {
			return
		}
	}
	sends, ends, ok := goroutineUses(inner)
	if !ok {
		return
	}
	switch {
	case len(ends) > 0: // a producer
		if !mustPass(fn.Blocks[0], ends...) {
			return
		}
	case len(sends) > 0 && len(recvs) == 1 && !recvs[0].CommaOk && len(drained) == 0: // one result
		r := recvs[0]
		var blocks []*ssa.BasicBlock
		for _, s := range sends {
			blocks = append(blocks, s.Block())
		}
		if repeats(r.Block(), mc.Block()) || !mustPass(start.Block(), r.Block()) || !mustPass(fn.Blocks[0], blocks...) {
			return
		}
	default:
		return
	}
	if e.futures == nil {
		e.futures = map[*ssa.UnOp]*future{}
		e.futureGo = map[*ssa.Go]bool{}
		e.futureSend = map[*ssa.Send]bool{}
	}
	f := &future{start: start, fn: fn, args: callArgs(&start.Call), class: e.chanPlace(mc, 0).class}
	for _, r := range append(recvs, drained...) {
		e.futures[r] = f
	}
	for _, r := range drained {
		e.waitsFor(r.Parent(), fn)
	}
	e.futureGo[start] = true
	for _, s := range sends {
		e.futureSend[s] = true
	}
}

// drains returns the receives from the channel v, which closure mc
// captures, that the closure makes, and the calls of the closure: all it
// may do with the channel is receive from it, and all the function may do
// with the closure is call or defer it. It returns nil otherwise.
func drains(mc *ssa.MakeClosure, v ssa.Value) ([]*ssa.UnOp, []ssa.CallInstruction) {
	var sites []ssa.CallInstruction
	for _, r := range *mc.Referrers() {
		c, ok := r.(ssa.CallInstruction)
		if !ok || c.Common().Value != ssa.Value(mc) {
			return nil, nil
		}
		if _, isGo := r.(*ssa.Go); isGo {
			return nil, nil
		}
		sites = append(sites, c)
	}
	f := mc.Fn.(*ssa.Function)
	var recvs []*ssa.UnOp
	for j, b := range mc.Bindings {
		if b != v {
			continue
		}
		vals := []ssa.Value{f.FreeVars[j]}
		for i := 0; i < len(vals); i++ {
			for _, r := range *vals[i].Referrers() {
				switch x := r.(type) {
				case *ssa.DebugRef:
				case *ssa.UnOp:
					switch {
					case i == 0 && x.Op == token.MUL && isPointer(vals[i].Type()):
						vals = append(vals, x)
					case x.Op == token.ARROW:
						recvs = append(recvs, x)
					default:
						return nil, nil
					}
				default:
					return nil, nil
				}
			}
		}
	}
	if len(recvs) == 0 {
		return nil, nil
	}
	return recvs, sites
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// goroutineUses returns the sends on the channel v of a goroutine (or on
// the channel its captured variable v holds) and the blocks that close
// it; ok is false if the goroutine does anything else with it than send,
// close, and pass it to a function it calls.
func goroutineUses(v ssa.Value) (sends []*ssa.Send, ends []*ssa.BasicBlock, ok bool) {
	vals := []ssa.Value{v}
	for i := 0; i < len(vals); i++ {
		refs := vals[i].Referrers()
		if refs == nil {
			return nil, nil, false
		}
		for _, r := range *refs {
			switch x := r.(type) {
			case *ssa.DebugRef:
			case *ssa.UnOp:
				if i > 0 || x.Op != token.MUL {
					return nil, nil, false
				}
				vals = append(vals, x)
			case *ssa.Send:
				if x.Chan != vals[i] {
					return nil, nil, false
				}
				sends = append(sends, x)
			case *ssa.ChangeType:
				vals = append(vals, x)
			case *ssa.Defer: // defer close(ch): closes on every later return
				if bi, isB := x.Call.Value.(*ssa.Builtin); !isB || bi.Name() != "close" {
					return nil, nil, false
				}
				ends = append(ends, x.Block())
			case *ssa.Call:
				if bi, isB := x.Call.Value.(*ssa.Builtin); isB {
					if bi.Name() != "close" {
						return nil, nil, false
					}
					ends = append(ends, x.Block())
				}
			default:
				return nil, nil, false
			}
		}
	}
	return sends, ends, true
}

// onlyGo returns the go statement that is the only use of a closure.
func onlyGo(mc *ssa.MakeClosure) *ssa.Go {
	refs := mc.Referrers()
	if refs == nil || len(*refs) != 1 {
		return nil
	}
	g, ok := (*refs)[0].(*ssa.Go)
	if !ok || g.Call.Value != ssa.Value(mc) {
		return nil
	}
	return g
}

// before reports whether a runs before b on every path to b.
func before(a, b ssa.Instruction) bool {
	if a.Block() != b.Block() {
		return a.Block().Dominates(b.Block())
	}
	for _, instr := range a.Block().Instrs {
		switch instr {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// repeats reports whether block b can run again without passing through
// block from first (with from nil: whether b is in a loop).
func repeats(b, from *ssa.BasicBlock) bool { return reachable(b, b, from) }

// reachable reports whether block to can run after block from, on a path
// that does not pass through block avoid (nil: on any path).
func reachable(from, to, avoid *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{avoid: true}
	work := append([]*ssa.BasicBlock(nil), from.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == to {
			return true
		}
		if !seen[x] {
			seen[x] = true
			work = append(work, x.Succs...)
		}
	}
	return false
}

// mustPass reports whether every path from block b to a return of its
// function passes through one of the blocks through (b itself counts).
// A path that ends in a panic does not return.
func mustPass(b *ssa.BasicBlock, through ...*ssa.BasicBlock) bool {
	stop := map[*ssa.BasicBlock]bool{}
	for _, t := range through {
		if t != nil {
			stop[t] = true
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if stop[x] || seen[x] {
			continue
		}
		seen[x] = true
		if n := len(x.Instrs); n > 0 {
			if _, ok := x.Instrs[n-1].(*ssa.Return); ok {
				return false
			}
		}
		work = append(work, x.Succs...)
	}
	return true
}

// joinFuture applies, at the receive of a future, what its goroutine does
// before it sends: the receive waits for exactly that.
func (w *walker) joinFuture(f *future, recv *ssa.UnOp, held heldSet) {
	h := hop("wait for go "+displayName(f.fn, w.e.pkg), w.e.posString(recv.Pos()))
	w.waitFor(f.fn, f.args, h, held, func(op Op) bool {
		return op.Class != "" && op.Class == f.class // the goroutine's own sends: this receive is their partner
	})
}

// waitFor applies, at a receive that waits for the work of goroutine
// function g (started with arguments args), g's locks and its waits but
// those skip drops; h is the receive's hop.
func (w *walker) waitFor(g *ssa.Function, args []ssa.Value, h string, held heldSet, skip func(Op) bool) {
	s := w.e.summaryOf(g)
	if s == nil {
		return
	}
	for _, op := range s.Locks {
		if t, _, ok := w.translate(op, args, true); ok {
			t.Chain = prepend(h, op.Chain)
			w.emitLock(t, held)
		}
	}
	for _, op := range s.Waits {
		if skip(op) {
			continue
		}
		if t, _, ok := w.translate(op, args, false); ok {
			t.Chain = prepend(h, op.Chain)
			w.emitWait(t, held, releasedBy(op))
		}
	}
}
