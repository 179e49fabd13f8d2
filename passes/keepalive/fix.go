package keepalive

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// suggestFix returns the fix for a func literal passed to SetFinalizer or
// AddCleanup that captures the object, where one is mechanical, or nil.
func suggestFix(pass *analysis.Pass, k *analyzer.KeepAlive) *analysis.SuggestedFix {
	if !k.Direct {
		return nil
	}
	if k.Kind == analyzer.RootFinalizer {
		return paramFix(pass, k)
	}
	return fieldFix(pass, k)
}

// callAt returns the call expression whose parenthesis is at pos, and its
// file.
func callAt(pass *analysis.Pass, pos token.Pos) (*ast.File, *ast.CallExpr) {
	for _, f := range pass.Files {
		if pos < f.FileStart || pos > f.FileEnd {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(f, pos, pos+1)
		for _, n := range path {
			if c, ok := n.(*ast.CallExpr); ok && c.Lparen == pos {
				return f, c
			}
		}
	}
	return nil, nil
}

// registration returns the parts of a registration at pos with nargs
// arguments whose object is a variable and whose function a func
// literal: the file, the call, the variable and the literal; nil when it
// has another shape.
func registration(pass *analysis.Pass, pos token.Pos, nargs int) (*ast.File, *ast.CallExpr, *types.Var, *ast.FuncLit) {
	file, call := callAt(pass, pos)
	if call == nil || len(call.Args) != nargs {
		return nil, nil, nil, nil
	}
	id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok {
		return nil, nil, nil, nil
	}
	v, ok := pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return nil, nil, nil, nil
	}
	lit, ok := ast.Unparen(call.Args[1]).(*ast.FuncLit)
	if !ok {
		return nil, nil, nil, nil
	}
	return file, call, v, lit
}

// capturesOther reports whether lit captures a variable other than v
// that may hold a pointer: after the fix it could still keep ptr
// reachable.
func capturesOther(pass *analysis.Pass, lit *ast.FuncLit, v *types.Var) bool {
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || found {
			return !found
		}
		w, ok := pass.TypesInfo.Uses[id].(*types.Var)
		if !ok || w == v || w.IsField() || w.Parent() == nil || w.Pkg() == nil || w.Parent() == w.Pkg().Scope() {
			return true
		}
		if w.Pos() >= lit.Pos() && w.Pos() < lit.End() {
			return true // declared inside the literal
		}
		if b, ok := w.Type().Underlying().(*types.Basic); !ok || b.Kind() == types.UnsafePointer {
			found = true
		}
		return !found
	})
	return found
}

// isPointer reports whether t is a pointer type.
func isPointer(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}
