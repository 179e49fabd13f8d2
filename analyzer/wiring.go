package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
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
// globalFlow), and returns their functions. Only a value made in a main
// package counts (see wires), so it builds, first, the main packages and
// the packages whose code assigns such a variable or takes its address,
// then, round after round, those that call a function storing its
// parameter into one, directly or through such a call; last, the
// packages that use a variable which then holds a value of a main
// package: their calls of it are the ones resolved. The other packages'
// bodies are not needed: most of a program never wires such a variable
// (a sentinel error is one too).
func (p *Program) buildWiring(order []*packages.Package) []*ssa.Function {
	built := map[*packages.Package]bool{}
	storers := map[types.Object]bool{}
	var funcs []*ssa.Function
	build := func(want func(*packages.Package) bool) []*ssa.Function {
		var round []*ssa.Package
		for _, lp := range order {
			if !built[lp] && want(lp) {
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
		return fresh
	}
	// The first round builds the main packages and those that assign;
	// the later ones, the packages that call what the rounds before found
	// storing.
	writes := func(lp *packages.Package) bool { return lp.Name == "main" || assignsCallable(lp) }
	for round := 0; round < maxWiringRounds; round++ {
		fresh := build(writes)
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
		writes = func(lp *packages.Package) bool { return uses(lp, func(obj types.Object) bool { return storers[obj] }) }
	}
	wired := map[types.Object]bool{}
	flow := newGlobalFlow(funcs)
	for _, g := range flow.globals() {
		for _, src := range flow.sources(g) {
			if src.from != nil && src.from.Pkg != nil && src.from.Pkg.Pkg.Name() == "main" {
				wired[g.Object()] = true
				break
			}
		}
	}
	if len(wired) > 0 {
		funcs = append(funcs, build(func(lp *packages.Package) bool {
			return uses(lp, func(obj types.Object) bool { return wired[obj] })
		})...)
	}
	return funcs
}

// uses reports whether the code of lp uses an object that want accepts.
func uses(lp *packages.Package, want func(types.Object) bool) bool {
	for _, obj := range lp.TypesInfo.Uses {
		if want(obj) {
			return true
		}
	}
	return false
}

// assignsCallable reports whether the code of lp assigns a package-level
// variable of interface or func type outside its declaration, or takes
// the address of one.
func assignsCallable(lp *packages.Package) bool {
	target := func(e ast.Expr) bool {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return callableVar(lp.TypesInfo.Uses[x])
		case *ast.SelectorExpr:
			return callableVar(lp.TypesInfo.Uses[x.Sel])
		}
		return false
	}
	found := false
	for _, f := range lp.Syntax {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				found = found || slices.ContainsFunc(n.Lhs, target)
			case *ast.UnaryExpr:
				found = found || (n.Op == token.AND && target(n.X))
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
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
