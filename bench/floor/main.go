// Command floor is a baseline analyzer used only to benchmark finalock.
//
// It does the work that any SSA-based, fact-exporting analyzer cannot
// avoid: it builds SSA for each package, computes a VTA call graph over
// the package's functions, and exports one package fact so that go vet
// runs it on dependencies too. It reports nothing.
//
// It runs both as a vet tool and standalone:
//
//	go vet -vettool=$(which floor) ./...
//	floor ./...
package main

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/ssa"
)

// Analyzer builds SSA and a VTA call graph for a package, exports a
// FuncCount fact and reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:      "floor",
	Doc:       "build SSA and a VTA call graph, export a package fact, report nothing",
	Run:       run,
	FactTypes: []analysis.Fact{new(FuncCount)},
}

// FuncCount is the package fact floor exports: the number of source
// functions, anonymous ones included, and the number of call graph nodes.
type FuncCount struct {
	Funcs int
	Nodes int
}

// AFact marks FuncCount as an analysis fact.
func (*FuncCount) AFact() {}

// String describes the fact for -debug=f output.
func (f *FuncCount) String() string {
	return fmt.Sprintf("funcs=%d nodes=%d", f.Funcs, f.Nodes)
}

func run(pass *analysis.Pass) (any, error) {
	prog := ssa.NewProgram(pass.Fset, ssa.BuilderMode(0))

	// create ssa packages for direct imports, from type information only.
	for _, p := range pass.Pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}

	// create and build the package itself.
	ssapkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	ssapkg.Build()

	// collect the source functions, anonymous ones included.
	funcs := make(map[*ssa.Function]bool)
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		funcs[f] = true
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			decl, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
			if !ok {
				continue
			}
			if f := prog.FuncValue(fn); f != nil {
				add(f)
			}
		}
	}
	// package initializers, which hold the package-level var initializers.
	if init := ssapkg.Func("init"); init != nil {
		add(init)
	}

	cg := vta.CallGraph(funcs, nil)

	fact := &FuncCount{Funcs: len(funcs), Nodes: len(cg.Nodes)}
	pass.ExportPackageFact(fact)
	return nil, nil
}

func main() {
	multichecker.Main(Analyzer)
}
