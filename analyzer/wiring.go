package analyzer

import (
	"go/types"
	"sort"
	"sync"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// maxWiringRounds bounds how many times buildWiring follows the
// functions that store their parameters to the packages that call them.
const maxWiringRounds = 4

// buildWiring builds the SSA bodies of the packages that take part in
// what package-level variables of interface or func type hold (see
// globalFlow), and returns their functions: the packages that use such a
// variable, then, round after round, those that call a function that
// stores its parameter into one, directly or through such a call. The
// other packages' bodies are not needed: most of a program never touches
// such a variable.
func (p *Program) buildWiring(order []*packages.Package) []*ssa.Function {
	built := map[*packages.Package]bool{}
	storers := map[types.Object]bool{}
	var funcs []*ssa.Function
	uses := func(lp *packages.Package, want func(types.Object) bool) bool {
		for _, obj := range lp.TypesInfo.Uses {
			if want(obj) {
				return true
			}
		}
		return false
	}
	next := func(lp *packages.Package) bool {
		return uses(lp, func(obj types.Object) bool { return callableVar(obj) || storers[obj] })
	}
	for round := 0; round < maxWiringRounds; round++ {
		var round []*ssa.Package
		for _, lp := range order {
			if !built[lp] && next(lp) {
				built[lp] = true
				round = append(round, p.pkgs[lp.Types])
			}
		}
		var wg sync.WaitGroup
		for _, sp := range round {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sp.Build()
			}()
		}
		wg.Wait()
		var fresh []*ssa.Function
		for _, sp := range round {
			fresh = append(fresh, p.functions(sp)...)
		}
		if len(fresh) == 0 {
			break
		}
		funcs = append(funcs, fresh...)
		for changed := true; changed; {
			changed = false
			for _, fn := range funcs {
				if obj, ok := fn.Object().(*types.Func); ok && !storers[obj] && storesParam(fn, storers) {
					storers[obj], changed = true, true
				}
			}
		}
	}
	return funcs
}

// functions returns the functions of pkg with their closures, declared
// ones and methods, in a deterministic order.
func (p *Program) functions(pkg *ssa.Package) []*ssa.Function {
	var out []*ssa.Function
	seen := map[*ssa.Function]bool{}
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		if fn == nil || seen[fn] {
			return
		}
		seen[fn] = true
		out = append(out, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, name := range sortedMembers(pkg) {
		switch m := pkg.Members[name].(type) {
		case *ssa.Function:
			add(m)
		case *ssa.Type:
			for _, t := range []types.Type{m.Type(), types.NewPointer(m.Type())} {
				ms := p.prog.MethodSets.MethodSet(t)
				for i := 0; i < ms.Len(); i++ {
					add(p.prog.MethodValue(ms.At(i)))
				}
			}
		}
	}
	return out
}

// callableVar reports whether obj is a package-level variable of
// interface or func type outside the standard library.
func callableVar(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() == nil || isStd(v.Pkg().Path()) || v.Parent() != v.Pkg().Scope() {
		return false
	}
	_, sig := v.Type().Underlying().(*types.Signature)
	return sig || types.IsInterface(v.Type())
}

// storesParam reports whether fn stores one of its parameters into a
// package-level variable of interface or func type, or passes one to a
// function of storers.
func storesParam(fn *ssa.Function, storers map[types.Object]bool) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				if g, ok := x.Addr.(*ssa.Global); ok && callable(g) && isParam(x.Val) {
					return true
				}
			case ssa.CallInstruction:
				callee := x.Common().StaticCallee()
				if callee == nil || !storers[callee.Object()] {
					continue
				}
				for _, a := range x.Common().Args {
					if isParam(a) {
						return true
					}
				}
			}
		}
	}
	return false
}

// isParam reports whether v is a parameter, also converted.
func isParam(v ssa.Value) bool {
	_, ok := unwrapValue(v).(*ssa.Parameter)
	return ok
}

// sortedMembers returns the names of pkg's members, sorted.
func sortedMembers(pkg *ssa.Package) []string {
	names := make([]string, 0, len(pkg.Members))
	for name := range pkg.Members {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
