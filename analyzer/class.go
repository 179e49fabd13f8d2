package analyzer

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A place says where a lock or a channel lives, seen from inside one
// function: its class (package-level variable or struct field, the way
// lockdep names lock classes), the parameter it is reached from, and a key
// that identifies the instance within the function (to pair Lock with
// Unlock).
type place struct {
	class   string // "" when unknown
	short   string // the class for people: "Pool.mu", "db.registryMu"
	param   int    // index of the parameter it is reached from, or -1
	byValue bool   // reached from the parameter through field selections only
	key     string // identity within the function
	local   bool   // a local variable that never escapes: no root can share it
}

const maxPlaceDepth = 12

// addrPlace returns the place of the variable whose address is v (a
// *sync.Mutex, or the address of a variable holding a channel).
func (e *engine) addrPlace(v ssa.Value, depth int) place {
	if depth > maxPlaceDepth {
		return place{param: -1, key: v.Name()}
	}
	switch v := v.(type) {
	case *ssa.Global:
		c := qualifiedName(v.Pkg.Pkg, v.Name())
		return place{class: c, short: v.Pkg.Pkg.Name() + "." + v.Name(), param: -1, key: c}
	case *ssa.FieldAddr:
		base := e.addrPlace(v.X, depth+1)
		st, named := structOf(v.X.Type())
		if st == nil || v.Field >= st.NumFields() {
			return place{param: -1, key: v.Name()}
		}
		field := st.Field(v.Field).Name()
		p := place{param: base.param, byValue: base.byValue, key: base.key + "." + field, local: base.local}
		switch {
		case named != nil && named.Obj().Pkg() != nil:
			p.class = qualifiedName(named.Obj().Pkg(), named.Obj().Name()+"."+field)
			p.short = named.Obj().Name() + "." + field
		case base.class != "":
			p.class = base.class + "." + field
			p.short = base.short + "." + field
		}
		return p
	case *ssa.IndexAddr:
		base := e.addrPlace(v.X, depth+1)
		base.key += "[]"
		if base.class != "" {
			base.class += "[]"
			base.short += "[]"
		}
		base.byValue = base.byValue && isArrayPtr(v.X.Type())
		return base
	case *ssa.Parameter:
		return place{param: paramIndex(v), byValue: true, key: v.Name()}
	case *ssa.FreeVar:
		if b := e.binding(v); b != nil {
			p := e.addrPlace(b, depth+1)
			p.param, p.byValue = capturedParam(v, p), false
			p.key = v.Name()
			return p
		}
		return place{param: -1, key: v.Name()}
	case *ssa.Alloc:
		if !v.Heap {
			return place{param: -1, key: v.Name(), local: true}
		}
		fn := v.Parent()
		name := v.Comment
		if name == "" {
			name = v.Name()
		}
		c := qualifiedName(e.pkg, e.pathOf(fn)+"$"+name)
		return place{class: c, short: name, param: -1, key: v.Name()}
	case *ssa.UnOp:
		// A parameter that a closure captures lives in a heap cell that
		// holds nothing else: loading it is using the parameter.
		if a := e.localVar(v.X, depth); a != nil {
			s := storedValue(a)
			if p, ok := s.(*ssa.Parameter); ok && p.Parent() == v.Parent() {
				return e.addrPlace(p, depth+1)
			}
			if s != nil && s.Parent() != v.Parent() {
				// A variable of the enclosing function that a closure
				// captures, stored once there: the pointer it holds.
				p := e.addrPlace(s, depth+1)
				p.param, p.byValue = capturedCell(v.X, s, p), false
				return p
			}
		}
		// A pointer loaded from memory: the class is that of the location
		// holding the pointer (a pointer-typed field or variable).
		base := e.addrPlace(v.X, depth+1)
		base.key = "*" + base.key
		base.byValue = false
		return base
	case *ssa.ChangeType:
		return e.addrPlace(v.X, depth+1)
	case *ssa.Phi:
		return e.phiPlace(v, depth, false)
	}
	return place{param: -1, key: v.Name()}
}

// chanPlace returns the place of the channel value v.
func (e *engine) chanPlace(v ssa.Value, depth int) place {
	if depth > maxPlaceDepth {
		return place{param: -1, key: v.Name()}
	}
	switch v := v.(type) {
	case *ssa.UnOp:
		if v.Op == token.ARROW {
			return e.elemPlace(v, depth)
		}
		if v.Op == token.MUL {
			// A local variable holding a channel, in this function or
			// captured by a closure: the channel is whatever was stored
			// in it, when that is one value.
			if a := e.localVar(v.X, depth); a != nil {
				if s := storedValue(a); s != nil {
					p := e.chanPlace(s, depth+1)
					if p.param >= 0 && s.Parent() != v.Parent() {
						p.param = capturedCell(v.X, s, p) // the enclosing function's
					}
					return p
				}
			}
			return e.addrPlace(v.X, depth+1)
		}
	case *ssa.MakeChan:
		if c, short := e.storedClass(v, depth); c != "" {
			// The channel is kept in a field or variable (or handed
			// over on a channel): it is known by that class everywhere.
			return place{class: c, short: short, param: -1, key: v.Name()}
		}
		fn := v.Parent()
		marker := perCallChan
		if madeOnce(fn, v.Block()) {
			marker = onceChan
		}
		c := qualifiedName(e.pkg, e.pathOf(fn)+marker+e.posString(v.Pos()))
		return place{class: c, short: "chan made at " + e.posString(v.Pos()), param: -1, key: v.Name()}
	case *ssa.Extract:
		if r, ok := v.Tuple.(*ssa.UnOp); ok && r.Op == token.ARROW && v.Index == 0 {
			return e.elemPlace(r, depth)
		}
	case *ssa.Parameter:
		return place{param: paramIndex(v), key: v.Name()}
	case *ssa.FreeVar:
		if b := e.binding(v); b != nil {
			p := e.chanPlace(b, depth+1)
			p.param = capturedParam(v, p)
			p.key = v.Name()
			return p
		}
	case *ssa.ChangeType:
		return e.chanPlace(v.X, depth+1)
	case *ssa.Phi:
		return e.phiPlace(v, depth, true)
	case *ssa.Call:
		if p, ok := e.ctxDonePlace(v, depth+1); ok {
			return p
		}
	}
	return place{param: -1, key: v.Name()}
}

// elemPlace returns the place of a channel received from a channel (a
// reply channel taken from a queue): the element class of the channel it
// comes from.
func (e *engine) elemPlace(recv *ssa.UnOp, depth int) place {
	from := e.chanPlace(recv.X, depth+1)
	if from.class == "" {
		return place{param: -1, key: recv.Name()}
	}
	return place{class: from.class + elemSuffix, short: "channel from " + from.short, param: -1, key: recv.Name()}
}

// elemSuffix marks the class of the channels that travel on a channel.
const elemSuffix = "$elem"

// storedClass returns the class of the field or variable that every store
// of the channel mc goes to, or of the channel it is sent on, when there
// is exactly one; or "".
func (e *engine) storedClass(mc *ssa.MakeChan, depth int) (class, short string) {
	if depth > maxPlaceDepth {
		return "", ""
	}
	// The channel's values: the channel, and the loads of the one local
	// variable it is kept in.
	vals := []ssa.Value{mc}
	for _, r := range *mc.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Val == ssa.Value(mc) {
			if cell, ok := st.Addr.(*ssa.Alloc); ok && storedValue(cell) == ssa.Value(mc) {
				for _, l := range *cell.Referrers() {
					if ld, ok := l.(*ssa.UnOp); ok && ld.Op == token.MUL {
						vals = append(vals, ld)
					}
				}
			}
		}
	}
	for _, v := range vals {
		for _, r := range *v.Referrers() {
			c, s, ok := e.storeClass(r, v, depth)
			if !ok {
				return "", ""
			}
			if c == "" {
				continue
			}
			if class != "" && class != c {
				return "", ""
			}
			class, short = c, s
		}
	}
	return class, short
}

// storeClass returns the class that instruction r puts the channel v in:
// a field or variable it stores v into, or the channel it sends v on. It
// returns "" for any other use, and ok false for a store whose class is
// unknown.
func (e *engine) storeClass(r ssa.Instruction, v ssa.Value, depth int) (class, short string, ok bool) {
	var p place
	switch x := r.(type) {
	case *ssa.Store:
		if x.Val != v {
			return "", "", true
		}
		if _, cell := x.Addr.(*ssa.Alloc); cell {
			return "", "", true // a local variable: its loads are the channel
		}
		p = e.addrPlace(x.Addr, depth+1)
	case *ssa.Send:
		if x.X != v {
			return "", "", true
		}
		from := e.chanPlace(x.Chan, depth+1)
		if from.class == "" {
			return "", "", false
		}
		p = place{class: from.class + elemSuffix, short: "channel from " + from.short}
	default:
		return "", "", true
	}
	if p.class == "" || p.local {
		return "", "", false
	}
	return p.class, p.short, true
}

// The class of a channel made by make names the function and position; it
// also says whether each run of the program makes that channel once (in
// main or an init function, outside loops) or whether every call makes a
// new one.
const (
	perCallChan = "$chan@"
	onceChan    = "$chan1@"
)

// PerCallChannel reports whether a channel class stands for channels that
// every call of a function makes anew: two goroutines acting on that class
// need not be acting on the same channel.
func PerCallChannel(class string) bool { return strings.Contains(class, perCallChan) }

// madeOnce reports whether block b of fn runs once per program: fn is
// main.main or a package initializer, and b is outside loops.
func madeOnce(fn *ssa.Function, b *ssa.BasicBlock) bool {
	if fn.Parent() != nil || fn.Pkg == nil {
		return false
	}
	isMain := fn.Name() == "main" && fn.Pkg.Pkg.Name() == "main"
	isInit := fn.Synthetic == "package initializer" || strings.HasPrefix(fn.Name(), "init#")
	return (isMain || isInit) && !inLoop(b)
}

// phiPlace returns the place common to every edge of a φ-node (a channel
// value when isChan, else an address), or an unknown place. Each φ-node
// is resolved once per package: φ-nodes that feed each other (a select
// loop that swaps channels in and out) would otherwise cost time
// exponential in the depth of the lattice they form. An edge back to a
// φ-node that is being resolved adds nothing.
func (e *engine) phiPlace(v *ssa.Phi, depth int, isChan bool) place {
	k := phiKey{v, isChan}
	if p, ok := e.phis[k]; ok {
		return p
	}
	unknown := place{param: -1, key: v.Name()}
	if e.phiBusy[k] {
		return unknown
	}
	if e.phis == nil {
		e.phis, e.phiBusy = map[phiKey]place{}, map[phiKey]bool{}
	}
	e.phiBusy[k] = true
	p := e.phiEdges(v, depth, isChan, unknown)
	delete(e.phiBusy, k)
	e.phis[k] = p
	return p
}

// phiKey names a φ-node resolved as a channel value or as an address.
type phiKey struct {
	phi    *ssa.Phi
	isChan bool
}

// phiEdges resolves the edges of v; an edge to a φ-node being resolved is
// left out.
func (e *engine) phiEdges(v *ssa.Phi, depth int, isChan bool, unknown place) place {
	var first place
	found := false
	for _, edge := range v.Edges {
		if ep, ok := edge.(*ssa.Phi); ok && e.phiBusy[phiKey{ep, isChan}] {
			continue
		}
		var p place
		if isChan {
			p = e.chanPlace(edge, depth+1)
		} else {
			p = e.addrPlace(edge, depth+1)
		}
		if !found {
			first, found = p, true
			continue
		}
		if p.class != first.class || p.param != first.param {
			return unknown
		}
	}
	if !found || first.key == "" {
		return unknown
	}
	first.key = v.Name()
	return first
}

// binding returns the value a closure's free variable is bound to where
// the closure is made, or nil.
func (e *engine) binding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	mc := e.closures[fn]
	if mc == nil {
		return nil
	}
	for i, f := range fn.FreeVars {
		if f == fv && i < len(mc.Bindings) {
			return mc.Bindings[i]
		}
	}
	return nil
}

// storedIn is storedValue for an address that may be a closure's free
// variable: a variable captured by reference is stored into where it is
// declared, not in the closure.
func (e *engine) storedIn(addr ssa.Value) ssa.Value {
	for i := 0; i < maxPlaceDepth; i++ {
		fv, ok := addr.(*ssa.FreeVar)
		if !ok {
			break
		}
		b := e.binding(fv)
		if b == nil {
			return nil
		}
		addr = b
	}
	return storedValue(addr)
}

// localVar returns the local variable at address v: an Alloc of this
// function, or the Alloc a closure's free variable is bound to.
func (e *engine) localVar(v ssa.Value, depth int) *ssa.Alloc {
	for ; depth <= maxPlaceDepth; depth++ {
		switch x := v.(type) {
		case *ssa.Alloc:
			return x
		case *ssa.FreeVar:
			b := e.binding(x)
			if b == nil {
				return nil
			}
			v = b
			continue
		}
		return nil
	}
	return nil
}

// storedValue returns the value stored into the local variable at addr, if
// it is stored exactly once.
func storedValue(addr ssa.Value) ssa.Value {
	refs := addr.Referrers()
	if refs == nil {
		return nil
	}
	var val ssa.Value
	for _, r := range *refs {
		if s, ok := r.(*ssa.Store); ok && s.Addr == addr {
			if val != nil {
				return nil
			}
			val = s.Val
		}
	}
	return val
}

func paramIndex(p *ssa.Parameter) int {
	for i, q := range p.Parent().Params {
		if q == p {
			return i
		}
	}
	return -1
}

// structOf returns the struct type that the pointer type t points to, and
// its name when it is a named type.
func structOf(t types.Type) (*types.Struct, *types.Named) {
	ptr, ok := types.Unalias(t).Underlying().(*types.Pointer)
	if !ok {
		return nil, nil
	}
	elem := types.Unalias(ptr.Elem())
	named, _ := elem.(*types.Named)
	st, _ := elem.Underlying().(*types.Struct)
	return st, named
}

func isArrayPtr(t types.Type) bool {
	ptr, ok := types.Unalias(t).Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = ptr.Elem().Underlying().(*types.Array)
	return ok
}

func qualifiedName(pkg *types.Package, name string) string {
	if pkg == nil {
		return name
	}
	return pkg.Path() + "." + name
}

// callerClass returns the class of v as placeOf finds it, and for a
// parameter the class of the argument that the package's callers pass for
// it (through at most three calls): with all, the class every caller
// passes, or "" when they differ or one is unknown; else the first class
// found.
func (e *engine) callerClass(v ssa.Value, placeOf func(ssa.Value, int) place, all bool, depth int) string {
	p := placeOf(v, 0)
	if p.class != "" || p.param < 0 || depth > 3 {
		return p.class
	}
	fn := v.Parent()
	if fn == nil {
		return ""
	}
	class := ""
	for _, c := range e.callers[fn] {
		args := callArgs(c.Common())
		cl := ""
		if p.param < len(args) {
			cl = e.callerClass(args[p.param], placeOf, all, depth+1)
		}
		switch {
		case !all && cl != "":
			return cl
		case all && (cl == "" || class != "" && cl != class):
			return ""
		}
		class = cl
	}
	return class
}
