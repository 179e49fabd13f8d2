package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A send on a buffered channel does not wait when the channel gets at
// most its capacity of values in its life: a buffer with room. finalock
// knows three such channels:
//
//   - a channel made by a function with a constant capacity, whose sends,
//     counted over every function that can send on it (the maker, closures
//     it calls, starts or registers as finalizers or cleanups a known
//     number of times), do not exceed the capacity: the "finalizer ran"
//     channel of a test, a future's result;
//   - a field that gets one value in its life (onceFields): a request's
//     reply channel, a stop signal sent once under a flag;
//   - a reply channel of a package-private element type (replyElems).

// A roomIndex holds the package's channels with room, computed once.
type roomIndex struct {
	classes map[string]bool     // channel classes whose sends find room
	replies map[types.Type]bool // element types of reply channels
}

func (e *engine) roomIndex() *roomIndex {
	if e.rooms != nil {
		return e.rooms
	}
	x := &roomIndex{classes: e.onceFields(), replies: e.replyElems()}
	for c := range e.countedChannels() {
		x.classes[c] = true
	}
	e.rooms = x
	return x
}

// room reports whether a send on class finds room in the buffer.
func (e *engine) room(class string) bool { return class != "" && e.roomIndex().classes[class] }

// replyElem reports whether ch is a reply channel of the package: its
// element is a reply type.
func (e *engine) replyElem(ch ssa.Value) bool {
	c, ok := ch.Type().Underlying().(*types.Chan)
	if !ok {
		return false
	}
	named, ok := types.Unalias(c.Elem()).(*types.Named)
	return ok && e.roomIndex().replies[named]
}

// many stands for a count that finalock cannot bound.
const many = 1 << 30

// countedChannels returns the classes of the channels made with a
// constant capacity in a function, whose sends over the package never
// exceed that capacity.
func (e *engine) countedChannels() map[string]bool {
	out := map[string]bool{}
	idx := e.chanIndex()
	sends := map[string][]chanUse{}
	for _, u := range idx.uses {
		if u.kind == KindSend {
			sends[u.class] = append(sends[u.class], u)
		}
	}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeChan)
				if !ok {
					continue
				}
				n, ok := chanCap(mc)
				if !ok || n < 1 {
					continue
				}
				class := e.chanPlace(mc, 0).class
				if !PerCallChannel(class) && !onceChannel(class) {
					continue // kept in a field: see onceFields
				}
				total := 0
				for _, u := range sends[class] {
					k := 1
					if u.inSelect || inLoop(u.instr.Block()) {
						k = many
					}
					total += k * e.runs(u.instr.Parent(), fn, 0)
					if total > int(n) {
						break
					}
				}
				if total <= int(n) {
					out[class] = true
				}
			}
		}
	}
	return out
}

// runs returns how many times f runs for one run of maker: once for maker
// itself, and for a closure made inside maker the number of places that
// call it, start it or register it, outside loops; many otherwise.
func (e *engine) runs(f, maker *ssa.Function, depth int) int {
	if f == maker {
		return 1
	}
	mc := e.closures[f]
	if mc == nil || depth > 4 {
		return many
	}
	// The closure's values: the closure, and its conversions to an
	// interface (SetFinalizer takes any).
	vals := []ssa.Value{mc}
	for i := 0; i < len(vals) && i < maxPlaceDepth; i++ {
		for _, r := range *vals[i].Referrers() {
			switch x := r.(type) {
			case *ssa.MakeInterface:
				vals = append(vals, x)
			case *ssa.ChangeType:
				vals = append(vals, x)
			}
		}
	}
	n := 0
	for _, v := range vals {
		for _, r := range *v.Referrers() {
			switch r.(type) {
			case *ssa.MakeInterface, *ssa.ChangeType, *ssa.DebugRef:
				continue
			}
			k := e.runsAt(r, v, maker, depth)
			if k >= many {
				return many
			}
			n += k
		}
	}
	return n
}

// runsAt returns how many times the closure value v runs through its use
// r: once for each run of r's function if r calls, starts or registers
// it outside a loop; many otherwise.
func (e *engine) runsAt(r ssa.Instruction, v ssa.Value, maker *ssa.Function, depth int) int {
	c, ok := r.(ssa.CallInstruction)
	if !ok {
		return many
	}
	common := c.Common()
	if common.Value != v {
		// A registration as a finalizer or cleanup, or a start by a
		// spawner, runs it once.
		regs := 0
		args := callArgs(common)
		for _, ce := range e.callees(c) {
			for _, reg := range e.registrations(ce.fn) {
				if reg.index < len(args) && args[reg.index] == v {
					regs++
				}
			}
			for _, p := range e.spawnedParams(ce.fn) {
				if !ce.invoked && p < len(args) && args[p] == v {
					regs++
				}
			}
		}
		if regs == 0 {
			return many
		}
	}
	if _, isDefer := r.(*ssa.Defer); isDefer || inLoop(c.Block()) {
		return many
	}
	return e.runs(c.Parent(), maker, depth+1)
}

// onceChannel reports whether class is a channel made once per program
// run.
func onceChannel(class string) bool { return strings.Contains(class, onceChan) }

// Some channels receive at most one value in their life, and are made
// with room for it, so sending that value does not wait. finalock knows
// two such channels kept in a field. A request's reply channel:
//
//	req := &request{done: make(chan error, 1)}
//	queue <- req
//	err := <-req.done // the requester waits for its answer
//
// which the one function that answers sends on: "req.done <- err". And a
// stop signal sent under a flag that is never cleared:
//
//	if !p.closed {
//		p.closed = true
//		p.closeC <- struct{}{}
//	}
//
// onceFields returns the classes of such fields: an unexported field of a
// struct type of the package, such that every store into it is a channel
// made with a buffer, and the package sends on it at one place, outside
// loops. Either only the functions that make its channels (or closures
// inside them) receive from it and nothing closes it, or the send runs
// only where a flag was false and sets it first.
func (e *engine) onceFields() map[string]bool {
	once := map[string]bool{}
	idx := e.chanIndex()
	makers := map[string]map[*ssa.Function]bool{}
	bad := map[string]bool{} // not made with a buffer, or sent on in a select
	for _, s := range idx.stores {
		mc, ok := s.st.Val.(*ssa.MakeChan)
		if !ok || !e.privateField(s.st.Addr) || !buffered(mc) {
			bad[s.class] = true
			continue
		}
		if makers[s.class] == nil {
			makers[s.class] = map[*ssa.Function]bool{}
		}
		makers[s.class][s.st.Parent()] = true
	}
	if len(makers) == 0 {
		return once
	}
	flagSet := map[string]bool{}   // bool fields set to true
	flagOther := map[string]bool{} // bool fields set to anything else
	for _, f := range idx.flags {
		if k, ok := f.st.Val.(*ssa.Const); ok && k.Value != nil && constant.BoolVal(k.Value) {
			flagSet[f.class] = true
		} else {
			flagOther[f.class] = true
		}
	}
	sends := map[string][]*ssa.Send{}
	notReply := map[string]bool{} // closed, or received from outside its makers
	received := map[string]bool{}
	for _, u := range idx.uses {
		m := makers[u.class]
		if m == nil {
			continue
		}
		switch u.kind {
		case KindSend:
			if s, ok := u.instr.(*ssa.Send); ok {
				sends[u.class] = append(sends[u.class], s)
			} else {
				bad[u.class] = true
			}
		case KindClose:
			notReply[u.class] = true
		case KindRecv:
			f := u.instr.Parent()
			for f != nil && !m[f] {
				f = f.Parent()
			}
			if f == nil {
				notReply[u.class] = true
			}
			received[u.class] = true
		}
	}
	for c := range makers {
		if bad[c] || len(sends[c]) != 1 || inLoop(sends[c][0].Block()) {
			continue
		}
		if !notReply[c] && received[c] || e.flagGuarded(sends[c][0], flagSet, flagOther) {
			once[c] = true
		}
	}
	return once
}

// flagGuarded reports whether the send s runs at most once for each
// value of a flag field: earlier in its block it sets the flag, which the
// package sets only to true, and it runs only where the flag was false.
func (e *engine) flagGuarded(s *ssa.Send, set, other map[string]bool) bool {
	flag := ""
	for _, instr := range s.Block().Instrs {
		if instr == ssa.Instruction(s) {
			break
		}
		if st, ok := instr.(*ssa.Store); ok {
			if c := e.addrPlace(st.Addr, 0).class; c != "" && set[c] && !other[c] {
				flag = c
			}
		}
	}
	if flag == "" {
		return false
	}
	for b := s.Block(); b.Idom() != nil; b = b.Idom() {
		d := b.Idom()
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond, falseSucc := iff.Cond, 1
		if n, ok := cond.(*ssa.UnOp); ok && n.Op == token.NOT {
			cond, falseSucc = n.X, 0
		}
		load, ok := cond.(*ssa.UnOp)
		if ok && load.Op == token.MUL && e.addrPlace(load.X, 0).class == flag && d.Succs[falseSucc].Dominates(s.Block()) {
			return true
		}
	}
	return false
}

// privateField reports whether addr selects an unexported field of a
// struct type of the package.
func (e *engine) privateField(addr ssa.Value) bool {
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	st, named := structOf(fa.X.Type())
	return st != nil && named != nil && named.Obj().Pkg() == e.pkg && fa.Field < st.NumFields() && !st.Field(fa.Field).Exported()
}

// buffered reports whether mc makes a channel with a constant buffer.
func buffered(mc *ssa.MakeChan) bool {
	n, ok := chanCap(mc)
	return ok && n >= 1
}

// chanCap returns the capacity mc gives its channel, when it is a
// constant.
func chanCap(mc *ssa.MakeChan) (int64, bool) {
	size, ok := mc.Size.(*ssa.Const)
	if !ok || size.Value == nil {
		return 0, false
	}
	return constant.Int64Val(constant.ToInt(size.Value))
}

// A reply channel carries one answer to the function that made it:
//
//	wait := make(chan result, 1)
//	waiters = append(waiters, wait) // handed out
//	...
//	res := <-wait                   // waits for the one answer
//
// and whoever answers does "w <- result{...}" once. The buffer holds the
// one answer its maker waits for, so the send does not wait.
//
// replyElems returns the element types of the package's reply channels: a
// named type of the package, unexported (so no other package makes a
// channel of it), such that every channel of that element the package
// makes has a buffer, and the function that makes it receives from it
// exactly once and neither sends on it nor closes it.
func (e *engine) replyElems() map[types.Type]bool {
	replies := map[types.Type]bool{}
	bad := map[types.Type]bool{}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeChan)
				if !ok {
					continue
				}
				elem := mc.Type().Underlying().(*types.Chan).Elem()
				named, ok := types.Unalias(elem).(*types.Named)
				if !ok || named.Obj().Pkg() != e.pkg || named.Obj().Exported() {
					continue
				}
				if replyMake(mc) {
					replies[named] = true
				} else {
					bad[named] = true
				}
			}
		}
	}
	for t := range bad {
		delete(replies, t)
	}
	return replies
}

// replyMake reports whether mc makes a buffered channel that its function
// receives from once and never sends on or closes.
func replyMake(mc *ssa.MakeChan) bool {
	if !buffered(mc) {
		return false
	}
	recvs := 0
	for _, r := range *mc.Referrers() {
		switch x := r.(type) {
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				if x.CommaOk || inLoop(x.Block()) {
					return false
				}
				recvs++
			}
		case *ssa.Send:
			return false
		case *ssa.Select:
			return false
		case *ssa.Store:
			if _, cell := x.Addr.(*ssa.Alloc); cell {
				return false // a variable: its uses are out of sight here
			}
		case ssa.CallInstruction:
			if bi, ok := x.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" {
				return false
			}
		}
	}
	return recvs == 1
}
