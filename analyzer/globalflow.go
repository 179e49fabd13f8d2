package analyzer

import (
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// maxFlowDepth bounds how far back globalFlow follows a stored value:
// through parameters to the arguments of the calls, and through other
// package-level variables.
const maxFlowDepth = 4

// A globalFlow says what the package-level variables of interface or func
// type hold in the whole program: the concrete types and the functions
// that some store puts there, directly or through the parameters of the
// functions that store them (func Use(c Context) { ctx = c }, called
// with a *mainthread.Loop). A package variable holds one value for the
// whole program, so a call of what it holds may reach each of them.
type globalFlow struct {
	stores map[*ssa.Global][]ssa.Value         // the values stored into each variable
	calls  map[*ssa.Function][]*ssa.CallCommon // the static calls of each function
	memo   map[*ssa.Global][]flowSource        // memo of sources
	busy   map[*ssa.Global]bool                // variables being resolved
}

// A flowSource is a concrete type or a function stored into a variable,
// and the function in which the value is made.
type flowSource struct {
	typ  types.Type
	fn   *ssa.Function
	from *ssa.Function
}

// newGlobalFlow indexes the stores into package-level variables and the
// static calls of funcs.
func newGlobalFlow(funcs []*ssa.Function) *globalFlow {
	f := &globalFlow{
		stores: map[*ssa.Global][]ssa.Value{},
		calls:  map[*ssa.Function][]*ssa.CallCommon{},
		memo:   map[*ssa.Global][]flowSource{},
		busy:   map[*ssa.Global]bool{},
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Store:
					if g, ok := x.Addr.(*ssa.Global); ok && callable(g) {
						f.stores[g] = append(f.stores[g], x.Val)
					}
				case ssa.CallInstruction:
					if callee := x.Common().StaticCallee(); callee != nil {
						f.calls[callee] = append(f.calls[callee], x.Common())
					}
				}
			}
		}
	}
	return f
}

// globals returns the variables that some store puts a value into, in
// a deterministic order.
func (f *globalFlow) globals() []*ssa.Global {
	out := make([]*ssa.Global, 0, len(f.stores))
	for g := range f.stores {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		return qualifiedName(out[i].Pkg.Pkg, out[i].Name()) < qualifiedName(out[j].Pkg.Pkg, out[j].Name())
	})
	return out
}

// callable reports whether the variable g holds an interface or a func.
func callable(g *ssa.Global) bool {
	t := g.Type().(*types.Pointer).Elem()
	_, sig := t.Underlying().(*types.Signature)
	return sig || types.IsInterface(t)
}

// loadedGlobal returns the package-level variable whose value v is (also
// converted to an interface), or nil.
func loadedGlobal(v ssa.Value) *ssa.Global {
	if x, ok := unwrapValue(v).(*ssa.UnOp); ok && x.Op == token.MUL {
		g, _ := x.X.(*ssa.Global)
		return g
	}
	return nil
}

// sources returns what g may hold.
func (f *globalFlow) sources(g *ssa.Global) []flowSource {
	if out, ok := f.memo[g]; ok || f.busy[g] {
		return out
	}
	f.busy[g] = true
	var out []flowSource
	seen := map[ssa.Value]bool{}
	for _, v := range f.stores[g] {
		out = f.valueSources(v, 0, seen, out)
	}
	delete(f.busy, g)
	f.memo[g] = out
	return out
}

// valueSources adds to out what the value v may be.
func (f *globalFlow) valueSources(v ssa.Value, depth int, seen map[ssa.Value]bool, out []flowSource) []flowSource {
	if depth > maxFlowDepth || seen[v] {
		return out
	}
	seen[v] = true
	switch x := v.(type) {
	case *ssa.MakeInterface:
		if !types.IsInterface(x.X.Type()) {
			return append(out, flowSource{typ: x.X.Type(), from: x.Parent()})
		}
		return f.valueSources(x.X, depth, seen, out)
	case *ssa.Function:
		return out // a function value's maker is not known here
	case *ssa.MakeClosure:
		if fn, ok := x.Fn.(*ssa.Function); ok {
			return append(out, flowSource{fn: fn, from: x.Parent()})
		}
	case *ssa.ChangeType:
		return f.valueSources(x.X, depth, seen, out)
	case *ssa.ChangeInterface:
		return f.valueSources(x.X, depth, seen, out)
	case *ssa.Phi:
		for _, e := range x.Edges {
			out = f.valueSources(e, depth, seen, out)
		}
	case *ssa.Parameter:
		fn := x.Parent()
		i := -1
		for j, p := range fn.Params {
			if p == x {
				i = j
			}
		}
		for _, c := range f.calls[fn] {
			if args := callArgs(c); i >= 0 && i < len(args) {
				out = f.valueSources(args[i], depth+1, seen, out)
			}
		}
	case *ssa.UnOp:
		if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL && depth < maxFlowDepth {
			out = append(out, f.sources(g)...)
		}
	}
	return out
}
