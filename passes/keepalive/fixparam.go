package keepalive

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
)

const paramFixMessage = "use the finalizer's parameter, not the captured object"

// paramFix returns the fix for a finalizer whose func literal ignores its
// parameter and captures obj instead, or nil:
//
//	runtime.SetFinalizer(f, func(*File) { syscall.Close(f.fd) })
//
// becomes
//
//	runtime.SetFinalizer(f, func(f *File) { syscall.Close(f.fd) })
//
// The parameter, named as the captured variable, shadows it: the body
// reads the same object, which the runtime passes to the finalizer.
func paramFix(pass *analysis.Pass, k *analyzer.KeepAlive) *analysis.SuggestedFix {
	_, _, v, lit := registration(pass, k.Pos, 2)
	if lit == nil || capturesOther(pass, lit, v) || !onlyReads(pass, lit, v) {
		return nil
	}
	ps := lit.Type.Params
	if ps == nil || len(ps.List) != 1 || len(ps.List[0].Names) > 1 {
		return nil
	}
	param := ps.List[0]
	if t := pass.TypesInfo.TypeOf(param.Type); t == nil || !types.Identical(t, v.Type()) {
		return nil
	}
	var edit analysis.TextEdit
	switch {
	case len(param.Names) == 0:
		edit = analysis.TextEdit{Pos: param.Type.Pos(), End: param.Type.Pos(), NewText: []byte(v.Name() + " ")}
	case param.Names[0].Name == "_":
		edit = analysis.TextEdit{Pos: param.Names[0].Pos(), End: param.Names[0].End(), NewText: []byte(v.Name())}
	default:
		return nil
	}
	return &analysis.SuggestedFix{Message: paramFixMessage, TextEdits: []analysis.TextEdit{edit}}
}

// onlyReads reports whether lit uses v and never assigns it or takes its
// address: with the parameter in its place, an assignment would no longer
// reach the variable outside.
func onlyReads(pass *analysis.Pass, lit *ast.FuncLit, v *types.Var) bool {
	used, ok := false, true
	ast.PreorderStack(lit.Body, nil, func(n ast.Node, stack []ast.Node) bool {
		id, isID := n.(*ast.Ident)
		if !ok || !isID || pass.TypesInfo.Uses[id] != v {
			return ok
		}
		used = true
		if len(stack) == 0 {
			return true
		}
		switch p := stack[len(stack)-1].(type) {
		case *ast.AssignStmt:
			for _, l := range p.Lhs {
				if l == id {
					ok = false
				}
			}
		case *ast.IncDecStmt:
			ok = false
		case *ast.UnaryExpr:
			ok = p.Op != token.AND
		case *ast.RangeStmt:
			ok = p.Key != id && p.Value != id
		}
		return ok
	})
	return used && ok
}
