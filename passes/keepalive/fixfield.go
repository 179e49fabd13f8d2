package keepalive

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"unicode"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
)

const fixMessage = "pass the field to the cleanup as its argument"

// fieldFix returns the fix for a cleanup whose func literal captures
// ptr only to read one of its fields, or nil:
//
//	runtime.AddCleanup(f, func(int) { syscall.Close(f.fd) }, 0)
//
// becomes
//
//	runtime.AddCleanup(f, func(fd int) { syscall.Close(fd) }, f.fd)
//
// The field is read at the registration instead of in the cleanup.
func fieldFix(pass *analysis.Pass, k *analyzer.KeepAlive) *analysis.SuggestedFix {
	file, call, v, lit := registration(pass, k.Pos, 3)
	if lit == nil || !unusedParam(pass, lit) || !pure(call.Args[2]) || capturesOther(pass, lit, v) {
		return nil
	}
	sels, field := fieldReads(pass, lit, v)
	if field == nil {
		return nil
	}
	name := paramName(field.Name())
	if name == "" || usesName(pass, lit, name) {
		return nil
	}
	typ, ok := typeText(pass, file, field.Type())
	if !ok {
		return nil
	}
	params := lit.Type.Params
	edits := []analysis.TextEdit{{Pos: params.Opening, End: params.Closing + 1, NewText: []byte("(" + name + " " + typ + ")")}}
	for _, s := range sels {
		edits = append(edits, analysis.TextEdit{Pos: s.Pos(), End: s.End(), NewText: []byte(name)})
	}
	edits = append(edits, analysis.TextEdit{Pos: call.Args[2].Pos(), End: call.Args[2].End(), NewText: []byte(v.Name() + "." + field.Name())})
	return &analysis.SuggestedFix{Message: fixMessage, TextEdits: edits}
}

// unusedParam reports whether the func literal has one parameter that its
// body does not use.
func unusedParam(pass *analysis.Pass, lit *ast.FuncLit) bool {
	ps := lit.Type.Params
	if ps == nil || ps.NumFields() != 1 || len(ps.List) != 1 || ps.Opening == token.NoPos {
		return false
	}
	for _, n := range ps.List[0].Names {
		if n.Name == "_" {
			continue
		}
		obj := pass.TypesInfo.Defs[n]
		used := false
		ast.Inspect(lit.Body, func(x ast.Node) bool {
			if id, ok := x.(*ast.Ident); ok && obj != nil && pass.TypesInfo.Uses[id] == obj {
				used = true
			}
			return !used
		})
		if used {
			return false
		}
	}
	return true
}

// pure reports whether evaluating e has no effect worth keeping: the
// argument the fix drops.
func pure(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.CompositeLit:
		return len(x.Elts) == 0
	}
	return false
}

// fieldReads returns the selections v.f in the body of lit, when every use
// of v there reads the same field f of v (never assigns it, takes its
// address or calls a pointer method on it), and that field.
func fieldReads(pass *analysis.Pass, lit *ast.FuncLit, v *types.Var) ([]*ast.SelectorExpr, *types.Var) {
	var sels []*ast.SelectorExpr
	var field *types.Var
	ok := true
	ast.PreorderStack(lit.Body, nil, func(n ast.Node, stack []ast.Node) bool {
		id, isID := n.(*ast.Ident)
		if !ok || !isID || pass.TypesInfo.Uses[id] != v {
			return ok
		}
		if len(stack) == 0 {
			ok = false
			return false
		}
		sel, isSel := stack[len(stack)-1].(*ast.SelectorExpr)
		if !isSel || sel.X != id {
			ok = false
			return false
		}
		s := pass.TypesInfo.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
			ok = false
			return false
		}
		f, isVar := s.Obj().(*types.Var)
		if !isVar || (field != nil && f != field) || !readOnly(pass, stack[:len(stack)-1], sel) {
			ok = false
			return false
		}
		field = f
		sels = append(sels, sel)
		return true
	})
	if !ok {
		return nil, nil
	}
	return sels, field
}

// readOnly reports whether the selection sel, whose ancestors are stack
// (nearest last), only reads the field: it is not assigned, incremented or
// addressed, through further selections or indexes either, and no method
// with a pointer receiver is called on it.
func readOnly(pass *analysis.Pass, stack []ast.Node, sel *ast.SelectorExpr) bool {
	var cur ast.Node = sel
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
		case *ast.SelectorExpr:
			// A pointer method called on a field held by value would
			// act on the copy.
			if s := pass.TypesInfo.Selections[p]; s != nil && s.Kind() == types.MethodVal && !isPointer(pass.TypesInfo.TypeOf(p.X)) {
				if sig, ok := s.Obj().Type().(*types.Signature); ok && sig.Recv() != nil && isPointer(sig.Recv().Type()) {
					return false
				}
			}
		case *ast.IndexExpr:
			if p.X != cur {
				return true
			}
		case *ast.StarExpr:
		case *ast.AssignStmt:
			for _, l := range p.Lhs {
				if l == cur {
					return false
				}
			}
			return true
		case *ast.IncDecStmt:
			return false
		case *ast.UnaryExpr:
			return p.Op != token.AND
		case *ast.RangeStmt:
			return p.Key != cur && p.Value != cur
		default:
			return true
		}
		cur = stack[i]
	}
	return true
}

// paramName returns the name for the cleanup's new parameter: the field's
// name, starting in lower case, or "" when that is no identifier to use.
func paramName(field string) string {
	if field == "" || field == "_" {
		return ""
	}
	r := []rune(field)
	r[0] = unicode.ToLower(r[0])
	name := string(r)
	if token.IsKeyword(name) || !token.IsIdentifier(name) || types.Universe.Lookup(name) != nil {
		return ""
	}
	return name
}

// usesName reports whether name is an identifier that lit refers to
// (the names of fields and methods after a dot do not count).
func usesName(pass *analysis.Pass, lit *ast.FuncLit, name string) bool {
	found := false
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if found {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok && pass.TypesInfo.Selections[sel] != nil {
			ast.Inspect(sel.X, visit)
			return false
		}
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	}
	ast.Inspect(lit, visit)
	return found
}

// typeText writes t as the file can name it: packages by the names the
// file imports them under; ok is false when t needs a package the file
// does not import.
func typeText(pass *analysis.Pass, file *ast.File, t types.Type) (string, bool) {
	ok := true
	qual := func(p *types.Package) string {
		if p == pass.Pkg {
			return ""
		}
		for _, imp := range file.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil || path != p.Path() {
				continue
			}
			if imp.Name == nil {
				return p.Name()
			}
			if n := imp.Name.Name; n != "_" && n != "." {
				return n
			}
		}
		ok = false
		return p.Name()
	}
	s := types.TypeString(t, qual)
	return s, ok
}
