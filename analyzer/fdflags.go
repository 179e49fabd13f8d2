package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// This file is the one evaluator of the flags of fd-creating calls (and
// of the trap numbers and clone flags of raw system calls): whether a
// flags value has one flag bit, read off SSA values. The wrapper
// summaries (Summary.Fds), the marks (F_SETFD with FD_CLOEXEC) and the
// creations that forkafterthreads reports (fdcreations.go) all ask it.

// A flagKind says whether a flags value has one flag bit.
type flagKind uint8

const (
	flagNone    flagKind = iota // no value: a φ-node read inside its own cycle
	flagLacks                   // certainly without the bit
	flagHas                     // certainly with the bit
	flagMixed                   // with the bit on some paths, without on others
	flagParam                   // exactly as parameter param of fn has it
	flagUnknown                 // not known
)

// A flagVal is what the evaluator says of a flags value.
type flagVal struct {
	k     flagKind
	fn    *ssa.Function // flagParam: the function of the parameter
	param int           // flagParam: its index (receiver first)
	// merged, for flagParam, says that the value went through a φ-node
	// or a variable: the function adjusts its flags on some path, so it
	// is no plain wrapper whose callers choose them.
	merged bool
}

var (
	fvNone    = flagVal{k: flagNone}
	fvLacks   = flagVal{k: flagLacks}
	fvHas     = flagVal{k: flagHas}
	fvMixed   = flagVal{k: flagMixed}
	fvUnknown = flagVal{k: flagUnknown}
)

func (a flagVal) sameParam(b flagVal) bool {
	return a.k == flagParam && b.k == flagParam && a.fn == b.fn && a.param == b.param
}

// joinFlags is the value of a variable that holds a or b: it lacks the
// bit only when both lack it.
func joinFlags(a, b flagVal) flagVal {
	switch {
	case a.k == flagNone:
		return b
	case b.k == flagNone:
		return a
	case a.sameParam(b):
		a.merged = a.merged || b.merged
		return a
	case a.k == b.k && a.k != flagParam:
		return a
	case a.k == flagUnknown || b.k == flagUnknown || a.k == flagParam || b.k == flagParam:
		return fvUnknown
	}
	return fvMixed // two of lacks, has, mixed
}

// orFlags is the value of a | b.
func orFlags(a, b flagVal) flagVal {
	switch {
	case a.k == flagHas || b.k == flagHas:
		return fvHas
	case a.k == flagNone:
		return b
	case b.k == flagNone:
		return a
	case a.k == flagUnknown || b.k == flagUnknown:
		return fvUnknown
	case a.k == flagLacks:
		return b
	case b.k == flagLacks:
		return a
	case a.k == flagMixed && b.k == flagMixed:
		return fvMixed
	case a.sameParam(b):
		return a
	}
	return fvUnknown
}

// andNotFlags is the value of a &^ b.
func andNotFlags(a, b flagVal) flagVal {
	switch b.k {
	case flagHas:
		return fvLacks
	case flagLacks, flagNone:
		return a
	}
	return fvUnknown
}

// andFlags is the value of a & b.
func andFlags(a, b flagVal) flagVal {
	switch {
	case a.k == flagLacks || b.k == flagLacks:
		return fvLacks
	case a.k == flagHas:
		return b
	case b.k == flagHas:
		return a
	case a.k == flagNone || b.k == flagNone:
		return fvNone
	}
	return fvUnknown
}

// xorFlags is the value of a ^ b.
func xorFlags(a, b flagVal) flagVal {
	switch {
	case a.k == flagNone || b.k == flagNone:
		return fvNone
	case a.k == flagLacks:
		return b
	case b.k == flagLacks:
		return a
	case a.k == flagHas && b.k == flagHas:
		return fvLacks
	case a.k == flagHas && b.k == flagMixed, a.k == flagMixed && b.k == flagHas:
		return fvMixed
	}
	return fvUnknown
}

// constFlags says whether the constant v has every bit of bit; a nil
// bit is a flag the platform lacks, which no value has.
func constFlags(v, bit constant.Value) flagVal {
	if v == nil {
		return fvUnknown
	}
	v = constant.ToInt(v)
	if v.Kind() != constant.Int {
		return fvUnknown
	}
	if bit == nil {
		return fvLacks
	}
	if HasBits(v, bit) {
		return fvHas
	}
	return fvLacks
}

// maxFlagSteps bounds the values one evaluation visits.
const maxFlagSteps = 512

// A flagEval evaluates one flags value for one bit.
type flagEval struct {
	e     *engine
	bit   constant.Value
	steps int
	busy  map[ssa.Value]bool // φ-nodes and variables being evaluated
}

// flagsOf evaluates whether v has every bit of bit: constants, |, &, &^
// and ^, conversions, φ-nodes (the bit is lacking only when every
// incoming value lacks it), parameters (flagParam), local variables whose
// address is taken (every store into them, closures included) and, for a
// value loaded from elsewhere, unknown.
func (e *engine) flagsOf(v ssa.Value, bit constant.Value) flagVal {
	ev := &flagEval{e: e, bit: bit, busy: map[ssa.Value]bool{}}
	return ev.val(v)
}

func (ev *flagEval) val(v ssa.Value) flagVal {
	if ev.steps++; ev.steps > maxFlagSteps {
		return fvUnknown
	}
	switch x := v.(type) {
	case *ssa.Const:
		return constFlags(x.Value, ev.bit)
	case *ssa.Convert:
		return ev.val(x.X)
	case *ssa.ChangeType:
		return ev.val(x.X)
	case *ssa.BinOp:
		a, b := ev.val(x.X), ev.val(x.Y)
		switch x.Op {
		case token.OR:
			return orFlags(a, b)
		case token.AND:
			return andFlags(a, b)
		case token.AND_NOT:
			return andNotFlags(a, b)
		case token.XOR:
			return xorFlags(a, b)
		}
	case *ssa.Phi:
		if ev.busy[x] {
			return fvNone
		}
		ev.busy[x] = true
		defer delete(ev.busy, x)
		out := fvNone
		for _, in := range x.Edges {
			if out = joinFlags(out, ev.val(in)); out.k == flagUnknown {
				break
			}
		}
		if out.k == flagParam {
			out.merged = true
		}
		return out
	case *ssa.Parameter:
		if i := paramIndex(x); i >= 0 {
			return flagVal{k: flagParam, fn: x.Parent(), param: i}
		}
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return ev.load(x.X)
		}
	}
	return fvUnknown
}

// load evaluates a load from addr: a local variable whose address goes
// nowhere but to loads, stores and the closures that capture it holds
// what is stored into it.
func (ev *flagEval) load(addr ssa.Value) flagVal {
	alloc, addrs, zero := ev.e.flagVar(addr)
	if alloc == nil {
		return fvUnknown
	}
	if ev.busy[alloc] {
		return fvNone
	}
	ev.busy[alloc] = true
	defer delete(ev.busy, alloc)
	out := fvNone
	if zero {
		out = fvLacks
	}
	for _, a := range addrs {
		for _, r := range *a.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == a {
				if out = joinFlags(out, ev.val(st.Val)); out.k == flagUnknown {
					return out
				}
			}
		}
	}
	if out.k == flagParam {
		out.merged = true
	}
	if out.k == flagNone {
		return fvUnknown
	}
	return out
}

// flagVar returns the local variable that addr is the address of (an
// Alloc of the package, or a closure's captured variable bound to one),
// with every address of it (the Alloc and the free variables bound to
// it), and whether a load may see its zero value. It returns nil when
// the address goes anywhere else than to loads and stores of the value
// and to closures that capture it.
func (e *engine) flagVar(addr ssa.Value) (*ssa.Alloc, []ssa.Value, bool) {
	var alloc *ssa.Alloc
	switch x := addr.(type) {
	case *ssa.Alloc:
		alloc = x
	case *ssa.FreeVar:
		alloc = e.boundAlloc(x, 0)
	}
	if alloc == nil || alloc.Parent() == nil || !e.inPkg[alloc.Parent()] {
		return nil, nil, false
	}
	ptr, ok := types.Unalias(alloc.Type()).Underlying().(*types.Pointer)
	if !ok {
		return nil, nil, false
	}
	if _, basic := ptr.Elem().Underlying().(*types.Basic); !basic {
		return nil, nil, false
	}
	addrs := []ssa.Value{alloc}
	for i := 0; i < len(addrs) && i < maxPlaceDepth; i++ {
		refs := addrs[i].Referrers()
		if refs == nil {
			return nil, nil, false
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Addr != addrs[i] || r.Val == addrs[i] {
					return nil, nil, false
				}
			case *ssa.UnOp:
				if r.Op != token.MUL {
					return nil, nil, false
				}
			case *ssa.DebugRef:
			case *ssa.MakeClosure:
				fn, ok := r.Fn.(*ssa.Function)
				if !ok {
					return nil, nil, false
				}
				for j, b := range r.Bindings {
					if b == addrs[i] && j < len(fn.FreeVars) {
						addrs = append(addrs, fn.FreeVars[j])
					}
				}
			default:
				return nil, nil, false
			}
		}
	}
	return alloc, addrs, zeroVisible(alloc)
}

// zeroVisible reports whether a load may read the zero value of a local
// variable: unless a store into it follows its allocation in the same
// block before anything reads it.
func zeroVisible(alloc *ssa.Alloc) bool {
	b := alloc.Block()
	if b == nil {
		return true
	}
	after := false
	for _, instr := range b.Instrs {
		if instr == alloc {
			after = true
			continue
		}
		if !after {
			continue
		}
		switch x := instr.(type) {
		case *ssa.Store:
			if x.Addr == alloc {
				return false
			}
		case *ssa.UnOp:
			if x.X == alloc {
				return true
			}
		case *ssa.MakeClosure:
			for _, v := range x.Bindings {
				if v == alloc {
					return true
				}
			}
		}
	}
	return true
}

// boundAlloc returns the Alloc that a closure's free variable is bound
// to, through the closures that enclose it.
func (e *engine) boundAlloc(fv *ssa.FreeVar, depth int) *ssa.Alloc {
	if depth > maxPlaceDepth {
		return nil
	}
	fn := fv.Parent()
	mc := e.closures[fn]
	if mc == nil {
		return nil
	}
	for i, f := range fn.FreeVars {
		if f != fv || i >= len(mc.Bindings) {
			continue
		}
		switch b := mc.Bindings[i].(type) {
		case *ssa.Alloc:
			return b
		case *ssa.FreeVar:
			return e.boundAlloc(b, depth+1)
		}
	}
	return nil
}

// fieldFlags evaluates the field name of the struct that ptr points to
// (Openat2's &unix.OpenHow{Flags: flags}): a struct allocated in fn, with
// every store into the field joined; the zero value when none stores
// into it.
func (e *engine) fieldFlags(fn *ssa.Function, ptr ssa.Value, name string, bit constant.Value) flagVal {
	return e.fieldFlagsIn(fn, ptr, name, bit, 0)
}

func (e *engine) fieldFlagsIn(fn *ssa.Function, ptr ssa.Value, name string, bit constant.Value, depth int) flagVal {
	base, ok := stripConv(ptr).(*ssa.Alloc)
	if !ok || depth > maxPlaceDepth {
		return fvUnknown
	}
	s, _ := structOf(base.Type())
	if s == nil {
		return fvUnknown
	}
	field := -1
	for i := 0; i < s.NumFields(); i++ {
		if s.Field(i).Name() == name {
			field = i
		}
	}
	if field < 0 {
		return fvUnknown
	}
	out := fvNone
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			var v flagVal
			switch a := st.Addr.(type) {
			case *ssa.FieldAddr:
				if a.X != base || a.Field != field {
					continue
				}
				v = e.flagsOf(st.Val, bit)
			case *ssa.Alloc:
				if a != base {
					continue
				}
				// The whole struct: its zero value (a composite literal
				// assigned again), a copy of another struct of fn
				// (how := unix.OpenHow{...}), or not known.
				v = fvUnknown
				switch x := st.Val.(type) {
				case *ssa.Const:
					if x.Value == nil {
						v = fvLacks
					}
				case *ssa.UnOp:
					if x.Op == token.MUL {
						v = e.fieldFlagsIn(fn, x.X, name, bit, depth+1)
					}
				}
			default:
				continue
			}
			if out = joinFlags(out, v); out.k == flagUnknown {
				return out
			}
		}
	}
	if out.k == flagNone {
		return fvLacks // the field is zero
	}
	return out
}

// constOf returns the constant value of v: a constant, through
// conversions, φ-nodes and local variables whose every value is the same
// constant; nil when not known.
func (e *engine) constOf(v ssa.Value) constant.Value {
	var out constant.Value
	busy := map[ssa.Value]bool{}
	steps := 0
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		if steps++; steps > maxFlagSteps {
			return false
		}
		switch x := stripConv(v).(type) {
		case *ssa.Const:
			if x.Value == nil || (out != nil && out.ExactString() != x.Value.ExactString()) {
				return false
			}
			out = x.Value
			return true
		case *ssa.Phi:
			if busy[x] {
				return true
			}
			busy[x] = true
			for _, in := range x.Edges {
				if !walk(in) {
					return false
				}
			}
			return true
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			alloc, addrs, zero := e.flagVar(x.X)
			if alloc == nil || zero {
				return false
			}
			if busy[alloc] {
				return true
			}
			busy[alloc] = true
			for _, a := range addrs {
				for _, r := range *a.Referrers() {
					if st, ok := r.(*ssa.Store); ok && st.Addr == a && !walk(st.Val) {
						return false
					}
				}
			}
			return true
		}
		return false
	}
	if !walk(v) {
		return nil
	}
	return out
}

// ssaArgs are a call's arguments as FdArgs, evaluated by the engine's
// evaluator.
type ssaArgs struct {
	e    *engine
	vals []ssa.Value
}

// fdArgs returns the arguments of a call as FdArgs.
func (e *engine) fdArgs(vals []ssa.Value) ssaArgs { return ssaArgs{e, vals} }

func (a ssaArgs) Len() int                   { return len(a.vals) }
func (a ssaArgs) Const(i int) constant.Value { return a.e.constOf(a.vals[i]) }
func (a ssaArgs) Has(i int, bit constant.Value) bool {
	return a.e.flagsOf(a.vals[i], bit).k == flagHas
}
