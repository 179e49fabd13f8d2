package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A send on a buffered channel does not wait when the channel gets at
// most its capacity of values in its life: a buffer with room. finalock
// knows three such channels:
//
//   - a channel made by a function with a constant capacity, that no path
//     through that function sends more values on than the capacity,
//     counting the sends of the closures the path calls, starts or
//     registers as finalizers or cleanups (sendCount): the "finalizer
//     ran" channel of a test, a future's result, a goroutine's one report
//     from whichever case ends its loop;
//   - a field that gets one value in its life (onceFields): a request's
//     reply channel, a stop signal sent once under a flag, a request's
//     done channel sent to once as it leaves a queue;
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

// plus adds two counts; a sum that reaches many is many.
func plus(a, b int) int { return min(a+b, many) }

// maxRoomDepth bounds how deeply nested closures are counted: a closure
// called from deeper is taken to send any number of times.
const maxRoomDepth = 6

// maxHeavyBlocks bounds the blocks of one function between which the
// longest path is searched; beyond it their counts are summed, which no
// path exceeds.
const maxHeavyBlocks = 64

// countedChannels returns the classes of the channels made with a
// constant capacity in a function, that no run of that function sends
// more values on than that capacity.
func (e *engine) countedChannels() map[string]bool {
	out := map[string]bool{}
	sends := map[string]map[ssa.Instruction]int{}
	for _, u := range e.chanIndex().uses {
		if u.kind != KindSend {
			continue
		}
		if sends[u.class] == nil {
			sends[u.class] = map[ssa.Instruction]int{}
		}
		k := 1
		if u.inSelect {
			k = many // a select may offer it again and again
		}
		sends[u.class][u.instr] = plus(sends[u.class][u.instr], k)
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
				c := &sendCount{e: e, maker: fn, sends: sends[class], memo: map[*ssa.Function]int{}, seen: map[ssa.Instruction]bool{}}
				// Every send must be one the count went through: a send
				// in a function the maker neither calls nor starts may run
				// any number of times.
				if k := c.count(fn, 0); k <= int(n) && len(c.seen) == len(c.sends) {
					out[class] = true
				}
			}
		}
	}
	return out
}

// A sendCount counts the sends on one channel class for one run of the
// function that makes the channel: the most sends any path through the
// maker runs, where a call of one of the maker's closures adds the most
// sends any path through that closure runs, and so does a start of it
// (a go statement, a spawner) or its registration as a finalizer or
// cleanup. A send, or such a call, in a block that can run twice per run
// counts as many; so does a closure whose value goes anywhere else (a
// field, an unknown function), since it may be called any number of
// times. For
//
//	done := make(chan error, 1)
//	go func() {
//		finish := func(err error) { done <- err }
//		for {
//			select {
//			case m := <-msgs:
//				finish(check(m))
//				return
//			case <-stalled:
//				done <- errStalled
//				return
//			}
//		}
//	}()
//
// no path sends twice, so the count is one and each send finds room.
type sendCount struct {
	e     *engine
	maker *ssa.Function
	sends map[ssa.Instruction]int  // the sends on the class, and how many each makes
	memo  map[*ssa.Function]int    // counts of the functions counted so far
	seen  map[ssa.Instruction]bool // the sends the count went through
}

// count returns the most sends on the class that one run of f makes:
// f is the maker or a closure nested in it.
func (c *sendCount) count(f *ssa.Function, depth int) int {
	if k, ok := c.memo[f]; ok {
		return k
	}
	if depth > maxRoomDepth {
		return many
	}
	c.memo[f] = many // a closure that reaches itself may run without end
	weight := map[*ssa.BasicBlock]int{}
	var heavy []*ssa.BasicBlock
	for _, b := range f.Blocks {
		w := 0
		for _, instr := range b.Instrs {
			if k, ok := c.sends[instr]; ok {
				c.seen[instr] = true
				w = plus(w, k)
			}
			w = plus(w, c.closureRuns(instr, depth))
		}
		if w == 0 {
			continue
		}
		if w >= many || inLoop(b) {
			return many
		}
		weight[b] = w
		heavy = append(heavy, b)
	}
	k := longestPath(heavy, weight)
	c.memo[f] = k
	return k
}

// closureRuns returns the sends that instr makes by way of the maker's
// closures among its operands: a closure's count for each call, start or
// registration of it, and many for any other use of a closure that sends.
func (c *sendCount) closureRuns(instr ssa.Instruction, depth int) int {
	switch x := instr.(type) {
	case *ssa.MakeInterface, *ssa.ChangeType, *ssa.DebugRef:
		return 0 // a conversion is counted where it is used
	case *ssa.MakeClosure:
		// A closure captured by another closure of the maker is counted
		// where that one uses it; bound to a method value, it is handed
		// to a method that may call it any number of times.
		if fn, ok := x.Fn.(*ssa.Function); ok && nestedIn(fn, c.maker) {
			return 0
		}
	}
	if st, ok := instr.(*ssa.Store); ok {
		if a, ok := st.Addr.(*ssa.Alloc); ok && plainCell(a, 0) {
			return 0 // counted where the variable is loaded and called
		}
	}
	total := 0
	var done []*ssa.Function
	for _, op := range instr.Operands(nil) {
		if *op == nil {
			continue
		}
		g := c.e.closureValue(*op, 0)
		if g == nil || !nestedIn(g, c.maker) || slices.Contains(done, g) {
			continue
		}
		done = append(done, g)
		k := c.count(g, depth+1)
		if k == 0 {
			continue
		}
		if !c.e.runsOnce(instr, *op) {
			return many
		}
		total = plus(total, k)
	}
	return total
}

// closureValue returns the closure that v is (the closure, a conversion
// of it to an interface, a free variable bound to it, or a load of a
// variable that holds it and nothing else: "finish := func() {...}"
// captured by another closure), or nil.
func (e *engine) closureValue(v ssa.Value, depth int) *ssa.Function {
	if depth > maxPlaceDepth {
		return nil
	}
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil
		}
		if a := e.localVar(x.X, depth); a != nil && plainCell(a, 0) {
			if s := storedValue(a); s != nil {
				return e.closureValue(s, depth+1)
			}
		}
	case *ssa.MakeClosure:
		fn, _ := x.Fn.(*ssa.Function)
		return fn
	case *ssa.MakeInterface:
		return e.closureValue(x.X, depth+1)
	case *ssa.ChangeType:
		return e.closureValue(x.X, depth+1)
	case *ssa.FreeVar:
		if b := e.binding(x); b != nil {
			return e.closureValue(b, depth+1)
		}
	}
	return nil
}

// plainCell reports whether the local variable at addr is only stored
// into where it is declared, and otherwise only loaded, here or in the
// closures that capture it: its address goes nowhere else.
func plainCell(addr ssa.Value, depth int) bool {
	if depth > maxPlaceDepth {
		return false
	}
	for _, r := range *addr.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != addr || x.Val == addr || depth > 0 {
				return false
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			fn, ok := x.Fn.(*ssa.Function)
			if !ok {
				return false
			}
			for i, b := range x.Bindings {
				if b == addr && (i >= len(fn.FreeVars) || !plainCell(fn.FreeVars[i], depth+1)) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// nestedIn reports whether g is a closure of f, at any depth.
func nestedIn(g, f *ssa.Function) bool {
	for p := g.Parent(); p != nil; p = p.Parent() {
		if p == f {
			return true
		}
	}
	return false
}

// runsOnce reports whether instr runs the closure value v at most once
// each time instr runs: it calls, defers or starts v, or passes it once
// to a finalizer or cleanup registration or a spawner, and hands it to
// nothing else.
func (e *engine) runsOnce(instr ssa.Instruction, v ssa.Value) bool {
	c, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	common := c.Common()
	args := callArgs(common)
	var at []int
	for i, a := range args {
		if a == v {
			at = append(at, i)
		}
	}
	if common.Value == v && !common.IsInvoke() {
		return len(at) == 0
	}
	if len(at) != 1 {
		return false
	}
	for _, ce := range e.callees(c) {
		for _, reg := range e.registrations(ce.fn) {
			if reg.index == at[0] {
				return true
			}
		}
		if !ce.invoked && slices.Contains(e.spawnedParams(ce.fn), at[0]) {
			return true
		}
	}
	return false
}

// longestPath returns the most weight that one path through a function
// collects from the blocks heavy, none of which is on a cycle: so the
// relation "can run after" among them has no cycle either.
func longestPath(heavy []*ssa.BasicBlock, weight map[*ssa.BasicBlock]int) int {
	if len(heavy) > maxHeavyBlocks {
		sum := 0
		for _, b := range heavy {
			sum = plus(sum, weight[b])
		}
		return sum
	}
	best := map[*ssa.BasicBlock]int{} // the most weight of a path from a block on
	var from func(b *ssa.BasicBlock) int
	from = func(b *ssa.BasicBlock) int {
		if k, ok := best[b]; ok {
			return k
		}
		after := 0
		for _, x := range heavy {
			if x != b && reachable(b, x, nil) {
				after = max(after, from(x))
			}
		}
		best[b] = plus(weight[b], after)
		return best[b]
	}
	k := 0
	for _, b := range heavy {
		k = max(k, from(b))
	}
	return k
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
		if bad[c] || len(sends[c]) != 1 || e.inLoop(sends[c][0].Block()) && !e.poppedFirst(sends[c][0]) {
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

// freshRoom reports whether the send s fills a channel that its function
// has just made with a buffer, before anything else sees the channel: it
// is one of the first sends after the make, in the make's block, no more
// of them than the buffer holds (a channel primed at once). The channel
// may live in a variable that closures capture, made before they are.
//
//	next := make(chan struct{}, 4)
//	next <- struct{}{} // nobody else has it yet: room
func freshRoom(s *ssa.Send) bool {
	var cell ssa.Value // the captured variable holding it, if any
	ch := s.Chan
	if load, ok := ch.(*ssa.UnOp); ok && load.Op == token.MUL {
		if _, isAlloc := load.X.(*ssa.Alloc); isAlloc {
			cell = load.X
		}
	}
	var mc *ssa.MakeChan
	sends := int64(0)
	for _, instr := range s.Block().Instrs {
		switch x := instr.(type) {
		case *ssa.MakeChan:
			if x == ch {
				mc = x
			}
			continue
		case *ssa.Store:
			if cell != nil && x.Addr == cell {
				mc, _ = x.Val.(*ssa.MakeChan)
				continue
			}
		}
		if mc == nil {
			continue
		}
		if instr == ssa.Instruction(s) {
			n, ok := chanCap(mc)
			return ok && sends < n
		}
		if x, isSend := instr.(*ssa.Send); isSend && (x.Chan == mc || cell != nil && loadOf(x.Chan, cell)) {
			sends++
			continue
		}
		if cell != nil && loadOf(instr, cell) && onlySent(instr.(ssa.Value)) {
			continue
		}
		for _, op := range instr.Operands(nil) {
			if *op == ssa.Value(mc) || cell != nil && *op == cell {
				return false // it is seen
			}
		}
	}
	return false
}

// loadOf reports whether x loads the variable cell.
func loadOf(x any, cell ssa.Value) bool {
	load, ok := x.(*ssa.UnOp)
	return ok && load.Op == token.MUL && load.X == cell
}

// onlySent reports whether every use of v sends on it.
func onlySent(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		if s, ok := r.(*ssa.Send); !ok || s.Chan != v {
			return false
		}
	}
	return true
}
