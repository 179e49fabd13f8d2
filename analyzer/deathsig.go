package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// This file follows commands whose SysProcAttr.Pdeathsig is set from the
// function that sets it to the function that starts them: a constructor
// that returns one, a helper that stores one into a field. The signal is
// sent when the OS thread that started the child exits (golang/go#27505),
// so what matters is whether the STARTING function locked its thread.

// A Deathsig says that a function hands its callers commands whose
// SysProcAttr.Pdeathsig is set.
type Deathsig struct {
	// Result reports that its first result is such a command.
	Result bool
	// Fields lists, sorted, the fields ("pkg.Type.field") it stores such
	// commands into, itself or through a function it calls.
	Fields []string
	// Chain is the witness, from the function to where Pdeathsig is set.
	Chain []Hop
}

// A DeathsigStart is a start of a command whose Pdeathsig was set in
// another function, by a goroutine that has not locked its thread.
type DeathsigStart struct {
	Pos   token.Pos
	Call  string // "(*exec.Cmd).Start"
	Chain []Hop  // where the command comes from, to where Pdeathsig is set
	// Set, when valid, is where the function that starts the process
	// set Pdeathsig itself (Chain is then nil), and Started the witness
	// from that function to the start.
	Set     token.Pos
	Started []Hop
}

// DeathsigStarts returns, in source order, the starts of commands whose
// SysProcAttr.Pdeathsig another function set (a constructor, a helper
// storing them into a field), in functions that do not call
// runtime.LockOSThread before the start on every path; and the settings
// of Pdeathsig in functions that start a process themselves without it
// (Set valid).
func (r *Result) DeathsigStarts() []DeathsigStart { r.ready(); return r.deathsig }

// maxDeathsigRounds bounds the rounds of the fixed point over the
// package's functions (constructors of constructors).
const maxDeathsigRounds = 8

// deathsigs computes the Deathsig of every function of the package into
// its summary, and returns the starts of such commands in the package.
func (e *engine) deathsigs() []DeathsigStart {
	own := e.ownDeathsigStarts()
	if !e.importsPkg("os/exec") {
		e.sortDeathsigStarts(own)
		return own
	}
	sets := map[*ssa.Function]map[ssa.Value][]Hop{} // commands each function sets Pdeathsig on
	for _, fn := range e.funcs {
		sets[fn] = e.pdeathsigSets(fn)
	}
	found := map[*ssa.Function]*Deathsig{}
	for round := 0; round < maxDeathsigRounds; round++ {
		changed := false
		for _, fn := range e.funcs {
			d := e.deathsigOf(fn, sets[fn], found)
			if d != nil && (found[fn] == nil || !sameDeathsig(found[fn], d)) {
				found[fn] = d
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	fields := map[string][]Hop{} // every field known to hold such a command
	for _, fn := range e.funcs {
		if d := found[fn]; d != nil {
			if fn.Parent() == nil {
				s := e.summaries[fn]
				if s == nil {
					s = new(Summary)
					e.summaries[fn] = s
				}
				s.Deathsig = d
			}
			for _, f := range d.Fields {
				if _, ok := fields[f]; !ok {
					fields[f] = prepend(e.hop(displayName(fn, e.pkg), fn.Pos()), d.Chain)
				}
			}
		}
		e.eachCall(fn, func(c ssa.CallInstruction, callee *ssa.Function) {
			if s := e.summaryOf(callee); s != nil && s.Deathsig != nil && !e.inPkg[callee] {
				for _, f := range s.Deathsig.Fields {
					if _, ok := fields[f]; !ok {
						fields[f] = prepend(e.hop(displayName(callee, e.pkg), c.Pos()), s.Deathsig.Chain)
					}
				}
			}
		})
	}
	out := own
	for _, fn := range e.funcs {
		if e.setsPdeathsig(fn, sets) {
			continue // the pass's rule for a function that sets and starts
		}
		e.eachCall(fn, func(c ssa.CallInstruction, callee *ssa.Function) {
			obj := funcObject(callee)
			if obj == nil || len(c.Common().Args) == 0 {
				return
			}
			name, ok := ProcessStart(obj.FullName())
			if !ok || !strings.HasPrefix(obj.FullName(), "(*os/exec.Cmd).") || lockedBefore(fn, c) {
				return
			}
			if chain, ok := e.deathsigCmd(fn, c.Common().Args[0], fields, found); ok {
				out = append(out, DeathsigStart{Pos: c.Pos(), Call: name, Chain: chain})
			}
		})
	}
	e.sortDeathsigStarts(out)
	return out
}

// sortDeathsigStarts sorts starts by position, then by where Pdeathsig
// was set.
func (e *engine) sortDeathsigStarts(out []DeathsigStart) {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pos != out[j].Pos {
			return e.posLess(out[i].Pos, out[j].Pos)
		}
		return e.posLess(out[i].Set, out[j].Set)
	})
}

// importsPkg reports whether the package imports path directly or
// indirectly.
func (e *engine) importsPkg(path string) bool {
	seen := map[*types.Package]bool{}
	var walk func(p *types.Package) bool
	walk = func(p *types.Package) bool {
		for _, imp := range p.Imports() {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			if imp.Path() == path || walk(imp) {
				return true
			}
		}
		return false
	}
	return walk(e.pkg)
}

// eachCall calls f for every static call of fn.
func (e *engine) eachCall(fn *ssa.Function, f func(ssa.CallInstruction, *ssa.Function)) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if callee := c.Common().StaticCallee(); callee != nil {
					f(c, callee)
				}
			}
		}
	}
}

// pdeathsigSets returns the commands on which fn sets a non-zero
// SysProcAttr.Pdeathsig, with the witness: cmd.SysProcAttr =
// &syscall.SysProcAttr{Pdeathsig: sig}, &exec.Cmd{SysProcAttr: ...}, or
// cmd.SysProcAttr.Pdeathsig = sig.
func (e *engine) pdeathsigSets(fn *ssa.Function) map[ssa.Value][]Hop {
	var out map[ssa.Value][]Hop
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok || !isField(st.Addr, "syscall", "SysProcAttr", "Pdeathsig") || isZeroConst(st.Val) {
				continue
			}
			chain := []Hop{e.hop("SysProcAttr.Pdeathsig", st.Pos())}
			for _, cmd := range cmdsOfAttr(fn, st.Addr.(*ssa.FieldAddr).X) {
				if out == nil {
					out = map[ssa.Value][]Hop{}
				}
				if _, dup := out[cmd]; !dup {
					out[cmd] = chain
				}
			}
		}
	}
	return out
}

// cmdsOfAttr returns the commands whose SysProcAttr is attr: the command
// attr is loaded from, or those attr is stored into.
func cmdsOfAttr(fn *ssa.Function, attr ssa.Value) []ssa.Value {
	if ld, ok := attr.(*ssa.UnOp); ok && ld.Op == token.MUL && isField(ld.X, "os/exec", "Cmd", "SysProcAttr") {
		return []ssa.Value{ld.X.(*ssa.FieldAddr).X}
	}
	var out []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && st.Val == attr && isField(st.Addr, "os/exec", "Cmd", "SysProcAttr") {
				out = append(out, st.Addr.(*ssa.FieldAddr).X)
			}
		}
	}
	return out
}

// isField reports whether addr is the address of field name of the
// struct pkg.typ.
func isField(addr ssa.Value, pkg, typ, name string) bool {
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	st, named := structOf(fa.X.Type())
	return st != nil && named != nil && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == pkg &&
		named.Obj().Name() == typ && fa.Field < st.NumFields() && st.Field(fa.Field).Name() == name
}

// structFieldName names the field fa selects: "pkg/path.Type.field", or "".
func structFieldName(fa *ssa.FieldAddr) string {
	st, named := structOf(fa.X.Type())
	if st == nil || named == nil || named.Obj().Pkg() == nil || fa.Field >= st.NumFields() {
		return ""
	}
	return named.Obj().Pkg().Path() + "." + named.Obj().Name() + "." + st.Field(fa.Field).Name()
}

func isZeroConst(v ssa.Value) bool {
	c, ok := stripConv(v).(*ssa.Const)
	return ok && (c.Value == nil || (c.Value.Kind() == constant.Int && constant.Sign(c.Value) == 0))
}

// deathsigOf computes what fn hands its callers: the commands it sets
// Pdeathsig on or gets from a constructor, returned or stored into a
// field, and the fields its callees store them into.
func (e *engine) deathsigOf(fn *ssa.Function, own map[ssa.Value][]Hop, found map[*ssa.Function]*Deathsig) *Deathsig {
	cmds := map[ssa.Value][]Hop{}
	var order []ssa.Value // cmds in a fixed order
	add := func(v ssa.Value, chain []Hop) {
		if _, ok := cmds[v]; !ok {
			cmds[v] = chain
			order = append(order, v)
		}
	}
	for _, v := range sortedValues(own) {
		add(v, own[v])
	}
	d := &Deathsig{}
	fields := map[string]bool{}
	e.eachCall(fn, func(c ssa.CallInstruction, callee *ssa.Function) {
		s := e.deathsigOfCallee(callee, found)
		if s == nil {
			return
		}
		chain := prepend(e.hop(displayName(callee, e.pkg), c.Pos()), s.Chain)
		if call, ok := c.(*ssa.Call); ok && s.Result {
			if r := firstResult(call); r != nil {
				add(r, chain)
			}
		}
		for _, f := range s.Fields {
			if !fields[f] {
				fields[f] = true
				if d.Chain == nil {
					d.Chain = chain
				}
			}
		}
	})
	// Commands loaded from a field are in that field.
	for _, v := range order {
		chain := cmds[v]
		if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
			if fa, ok := ld.X.(*ssa.FieldAddr); ok {
				if f := structFieldName(fa); f != "" && !fields[f] {
					fields[f] = true
					d.Chain = firstChain(d.Chain, chain)
				}
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				if chain, ok := cmds[stripConv(x.Val)]; ok {
					if fa, ok := x.Addr.(*ssa.FieldAddr); ok {
						if f := structFieldName(fa); f != "" && !fields[f] {
							fields[f] = true
							d.Chain = firstChain(d.Chain, chain)
						}
					}
				}
			case *ssa.Return:
				if len(x.Results) > 0 {
					if chain, ok := cmds[stripConv(x.Results[0])]; ok && !d.Result {
						d.Result = true
						d.Chain = chain
					}
				}
			}
		}
	}
	if !d.Result && len(fields) == 0 {
		return nil
	}
	for f := range fields {
		d.Fields = append(d.Fields, f)
	}
	sort.Strings(d.Fields)
	return d
}

// sortedValues returns the keys of m in the order of their positions,
// then their names.
func sortedValues(m map[ssa.Value][]Hop) []ssa.Value {
	out := make([]ssa.Value, 0, len(m))
	for v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pos() != out[j].Pos() {
			return out[i].Pos() < out[j].Pos()
		}
		return out[i].Name() < out[j].Name()
	})
	return out
}

func firstChain(a, b []Hop) []Hop {
	if a != nil {
		return a
	}
	return b
}

func sameDeathsig(a, b *Deathsig) bool {
	return a.Result == b.Result && slices.Equal(a.Fields, b.Fields)
}

// setsPdeathsig reports whether the declared function enclosing fn (or
// one of its closures) sets Pdeathsig itself: the pass reports those
// where they set it.
func (e *engine) setsPdeathsig(fn *ssa.Function, own map[*ssa.Function]map[ssa.Value][]Hop) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	var sets func(f *ssa.Function) bool
	sets = func(f *ssa.Function) bool {
		if len(own[f]) > 0 {
			return true
		}
		for _, a := range f.AnonFuncs {
			if sets(a) {
				return true
			}
		}
		return false
	}
	return sets(fn)
}

// deathsigCmd reports whether the command v is one whose Pdeathsig was
// set: made by a constructor that says so, or loaded from a field that a
// function stores such commands into; with the witness, as seen from fn,
// the function that starts it.
func (e *engine) deathsigCmd(fn *ssa.Function, v ssa.Value, fields map[string][]Hop, found map[*ssa.Function]*Deathsig) ([]Hop, bool) {
	for depth := 0; depth < maxPlaceDepth; depth++ {
		switch x := stripConv(v).(type) {
		case *ssa.FreeVar:
			if v = e.binding(x); v == nil {
				return nil, false
			}
			continue
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil, false
			}
			if fa, ok := x.X.(*ssa.FieldAddr); ok {
				f := structFieldName(fa)
				if call, ok := stripConv(fa.X).(*ssa.Call); ok {
					// New().cmd: the function that made the struct.
					if d := e.deathsigOfCallee(call.Call.StaticCallee(), found); d != nil && slices.Contains(d.Fields, f) {
						return prepend(e.hop(displayName(call.Call.StaticCallee(), e.pkg), call.Pos()), d.Chain), true
					}
				}
				if d := found[fn]; d != nil && slices.Contains(d.Fields, f) {
					return d.Chain, true // stored by a call of the starting function
				}
				chain, ok := fields[f]
				return chain, ok
			}
			if s := e.storedIn(x.X); s != nil {
				v = s
				continue
			}
			return nil, false
		case *ssa.Extract:
			v = x.Tuple
			continue
		case *ssa.Call:
			callee := x.Call.StaticCallee()
			d := e.deathsigOfCallee(callee, found)
			if d == nil || !d.Result {
				return nil, false
			}
			return prepend(e.hop(displayName(callee, e.pkg), x.Pos()), d.Chain), true
		}
		return nil, false
	}
	return nil, false
}

// deathsigOfCallee returns the Deathsig of a function of the package
// (found so far) or of another package (from its summary), or nil.
func (e *engine) deathsigOfCallee(callee *ssa.Function, found map[*ssa.Function]*Deathsig) *Deathsig {
	if callee == nil {
		return nil
	}
	if e.inPkg[callee] {
		return found[callee]
	}
	if s := e.summaryOf(callee); s != nil {
		return s.Deathsig
	}
	return nil
}

// lockedBefore reports whether fn calls runtime.LockOSThread before the
// call c on every path from its entry: earlier in c's block, or at the
// end of every block that leads into it (a must dataflow over the
// blocks). A go statement's call runs on a goroutine of its own, which
// has locked nothing.
func lockedBefore(fn *ssa.Function, c ssa.CallInstruction) bool {
	if _, ok := c.(*ssa.Go); ok {
		return false // go cmd.Start(): started by a new goroutine, not locked
	}
	at := c.Block()
	for _, instr := range at.Instrs {
		if instr == c {
			break
		}
		if locksThread(instr) {
			return true
		}
	}
	return lockedInto(fn)[at.Index]
}

// lockedInto returns, for each block of fn, whether runtime.LockOSThread
// was called on every path into it.
func lockedInto(fn *ssa.Function) []bool {
	n := len(fn.Blocks)
	locks := make([]bool, n) // the block calls LockOSThread
	for _, b := range fn.Blocks {
		locks[b.Index] = slices.ContainsFunc(b.Instrs, locksThread)
	}
	in := make([]bool, n)
	for i := range in {
		in[i] = true
	}
	in[0] = false
	if fn.Recover != nil {
		in[fn.Recover.Index] = false
	}
	for changed := true; changed; {
		changed = false
		for _, b := range fn.Blocks {
			if b.Index == 0 || b == fn.Recover || !in[b.Index] {
				continue
			}
			for _, p := range b.Preds {
				if !in[p.Index] && !locks[p.Index] {
					in[b.Index], changed = false, true
					break
				}
			}
		}
	}
	return in
}

// locksThread reports whether instr calls runtime.LockOSThread.
func locksThread(instr ssa.Instruction) bool {
	lc, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	if _, isGo := lc.(*ssa.Go); isGo {
		return false
	}
	obj := funcObject(lc.Common().StaticCallee())
	return obj != nil && obj.FullName() == "runtime.LockOSThread"
}
