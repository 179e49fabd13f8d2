package allocunderlock

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// fixMessage is the title of the suggested fix.
const fixMessage = "allocate before taking the lock"

// suggestFix returns the fix that moves the section's first allocation to
// just before the statement that takes the lock, or nil when that is not
// mechanical: the allocation must be a make, a new or a composite literal
// in a plain statement of the block that takes the lock, and read nothing
// that the section could change.
// movable reports whether an allocation, named as the engine names it, is
// one the fix may move: a make, a new, or a composite literal.
func movable(what string) bool {
	for _, prefix := range []string{"make(", "new(", "&", "[]"} {
		if strings.HasPrefix(what, prefix) {
			return true
		}
	}
	return strings.HasSuffix(what, "{…}")
}

func suggestFix(pass *analysis.Pass, sec *analyzer.Section) *analysis.SuggestedFix {
	if len(sec.First.Chain) != 1 || !sec.AllocPos.IsValid() || !sec.LockPos.IsValid() {
		return nil // through a call: the callee may do more than allocate
	}
	if !movable(sec.First.Name) {
		return nil
	}
	f := fileOf(pass, sec.AllocPos)
	if f == nil || fileOf(pass, sec.LockPos) != f {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(f, sec.AllocPos, sec.AllocPos)
	expr, i := allocExpr(pass.TypesInfo, path, sec.AllocPos)
	if expr == nil {
		return nil
	}

	// The statement that holds the allocation, the list it is in, and the
	// function around it.
	var stmt ast.Stmt
	for i++; i < len(path); i++ {
		if s, ok := path[i].(ast.Stmt); ok {
			stmt = s
			break
		}
	}
	if stmt == nil || i+1 >= len(path) {
		return nil
	}
	switch stmt.(type) {
	case *ast.AssignStmt, *ast.ExprStmt, *ast.ReturnStmt, *ast.DeclStmt, *ast.SendStmt:
	default:
		return nil // a condition, a loop header, a go or defer statement
	}
	list := stmtList(path[i+1])
	var fn ast.Node
	for _, n := range path[i+1:] {
		if _, ok := n.(*ast.FuncDecl); ok {
			fn = n
			break
		}
		if _, ok := n.(*ast.FuncLit); ok {
			fn = n
			break
		}
	}
	if list == nil || fn == nil {
		return nil
	}
	lockStmt := lockStatement(list, stmt, sec.LockPos)
	if lockStmt == nil {
		return nil
	}

	c := &operands{info: pass.TypesInfo, fn: fn, from: lockStmt.Pos(), to: expr.Pos()}
	if !c.safe(expr) {
		return nil
	}

	tf := pass.Fset.File(f.Pos())
	if tf == nil {
		return nil
	}
	content, err := pass.ReadFile(tf.Name())
	if err != nil || tf.Size() != len(content) {
		return nil
	}
	off := func(p token.Pos) int { return tf.Offset(p) }
	lineStart := off(tf.LineStart(tf.Line(lockStmt.Pos())))
	indent := string(content[lineStart:off(lockStmt.Pos())])
	if strings.TrimLeft(indent, " \t") != "" {
		return nil // the lock statement does not start its line
	}

	if edits := moveDecl(pass, content, tf, stmt, expr, lockStmt, indent, c); edits != nil {
		return &analysis.SuggestedFix{Message: fixMessage, TextEdits: edits}
	}
	name := tempName(pass, fn, lockStmt, stmt, expr)
	if name == "" {
		return nil
	}
	text := string(content[off(expr.Pos()):off(expr.End())])
	return &analysis.SuggestedFix{Message: fixMessage, TextEdits: []analysis.TextEdit{
		{Pos: lockStmt.Pos(), End: lockStmt.Pos(), NewText: []byte(name + " := " + text + "\n" + indent)},
		{Pos: expr.Pos(), End: expr.End(), NewText: []byte(name)},
	}}
}

// allocExpr returns the allocating expression whose position the engine
// recorded (the parenthesis of make or new, the brace of a composite
// literal; &T{...} as a whole) and its index in path.
func allocExpr(info *types.Info, path []ast.Node, pos token.Pos) (ast.Expr, int) {
	if len(path) == 0 {
		return nil, 0
	}
	switch n := path[0].(type) {
	case *ast.CallExpr:
		if name := builtinName(info, n); n.Lparen == pos && (name == "make" || name == "new") {
			return n, 0
		}
	case *ast.CompositeLit:
		if n.Lbrace != pos || n.Type == nil {
			return nil, 0 // an elided type cannot stand alone
		}
		if len(path) > 1 {
			if u, ok := path[1].(*ast.UnaryExpr); ok && u.Op == token.AND {
				return u, 1
			}
		}
		return n, 0
	}
	return nil, 0
}

func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// lockStatement returns the statement of list, before stmt, that takes the
// lock at pos: a call statement or an assignment from a lock helper.
func lockStatement(list []ast.Stmt, stmt ast.Stmt, pos token.Pos) ast.Stmt {
	for _, s := range list {
		if s == stmt {
			return nil
		}
		if s.Pos() <= pos && pos < s.End() {
			switch s.(type) {
			case *ast.ExprStmt, *ast.AssignStmt:
				return s
			}
			return nil
		}
	}
	return nil
}

// operands decides whether an expression may be evaluated before the lock
// statement instead of where it is: it may read constants, types declared
// outside the section, and local variables of the function that are set
// before the lock, never changed between the lock and the allocation, never
// changed by a closure and never reached through a pointer.
type operands struct {
	info     *types.Info
	fn       ast.Node  // the enclosing *ast.FuncDecl or *ast.FuncLit
	from, to token.Pos // the lock statement, the allocation
}

func (c *operands) safe(e ast.Expr) bool {
	if tv, ok := c.info.Types[e]; ok {
		switch {
		case tv.Value != nil, tv.IsNil():
			return true
		case tv.IsType():
			return c.safeType(e)
		}
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return c.safe(e.X)
	case *ast.Ident:
		v, ok := c.info.Uses[e].(*types.Var)
		return ok && c.safeVar(v)
	case *ast.CompositeLit:
		if e.Type != nil && !c.safeType(e.Type) {
			return false
		}
		t := c.info.TypeOf(e)
		if t == nil {
			return false
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		_, isStruct := t.Underlying().(*types.Struct)
		for _, elt := range e.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if (!isStruct && !c.safe(kv.Key)) || !c.safe(kv.Value) {
					return false
				}
			} else if !c.safe(elt) {
				return false
			}
		}
		return true
	case *ast.UnaryExpr:
		switch e.Op {
		case token.AND:
			_, lit := ast.Unparen(e.X).(*ast.CompositeLit)
			return lit && c.safe(e.X)
		case token.ADD, token.SUB, token.NOT, token.XOR:
			return c.safe(e.X)
		}
	case *ast.BinaryExpr:
		return c.safe(e.X) && c.safe(e.Y)
	case *ast.CallExpr:
		if tv, ok := c.info.Types[e.Fun]; ok && tv.IsType() {
			return len(e.Args) == 1 && c.safeType(e.Fun) && c.safe(e.Args[0])
		}
		if name := builtinName(c.info, e); (name == "make" || name == "new") && !e.Ellipsis.IsValid() {
			for _, a := range e.Args {
				if !c.safe(a) {
					return false
				}
			}
			return true
		}
	}
	return false // a call, a field or element read, a receive, a closure
}

// safeType reports whether the type expression e names only types that
// exist before the lock statement.
func (c *operands) safeType(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID {
			if obj := c.info.Uses[id]; obj != nil && obj.Pos() >= c.from && obj.Pos() < c.to {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// safeVar reports whether reading v before the lock statement gives the
// value the allocation reads.
func (c *operands) safeVar(v *types.Var) bool {
	if v.IsField() || v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return false // package-level state may be what the lock guards
	}
	if v.Pos() < c.fn.Pos() || v.Pos() >= c.from {
		return false // captured from an outer function, or declared in the section
	}
	switch v.Type().Underlying().(type) {
	case *types.Struct, *types.Array:
		return false // a pointer method may change it in place
	}
	return !changed(c.info, c.fn, v, c.from, c.to)
}

// changed reports whether v is assigned between from and to, assigned in a
// function literal inside fn, or has its address taken anywhere in fn.
func changed(info *types.Info, fn ast.Node, v *types.Var, from, to token.Pos) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Uses[id] == v || info.Defs[id] == v)
	}
	var lits []ast.Node
	ast.Inspect(fn, func(n ast.Node) bool {
		if l, ok := n.(*ast.FuncLit); ok && n != fn {
			lits = append(lits, l)
		}
		return true
	})
	assigned := func(p token.Pos) bool {
		if from <= p && p < to {
			return true
		}
		for _, l := range lits {
			if l.Pos() <= p && p < l.End() {
				return true
			}
		}
		return false
	}
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if n.Op == token.AND && is(n.X) {
				found = true
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if is(l) && assigned(l.Pos()) {
					found = true
				}
			}
		case *ast.IncDecStmt:
			if is(n.X) && assigned(n.X.Pos()) {
				found = true
			}
		case *ast.RangeStmt:
			for _, l := range []ast.Expr{n.Key, n.Value} {
				if l != nil && is(l) && assigned(l.Pos()) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// moveDecl returns the edits that move a declaration "x := alloc" or
// "var x = alloc" as a whole to before the lock statement, or nil when it
// is not one, is not alone on its line, or x is mentioned between the lock
// statement and the declaration (moving it could change what x means
// there).
func moveDecl(pass *analysis.Pass, content []byte, tf *token.File, stmt ast.Stmt, expr ast.Expr, lockStmt ast.Stmt, indent string, c *operands) []analysis.TextEdit {
	var name *ast.Ident
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE || len(s.Lhs) != 1 || len(s.Rhs) != 1 || ast.Unparen(s.Rhs[0]) != expr {
			return nil
		}
		name, _ = s.Lhs[0].(*ast.Ident)
	case *ast.DeclStmt:
		g, ok := s.Decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR || g.Lparen.IsValid() || len(g.Specs) != 1 {
			return nil
		}
		vs, ok := g.Specs[0].(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 || ast.Unparen(vs.Values[0]) != expr {
			return nil
		}
		if vs.Type != nil && !c.safeType(vs.Type) {
			return nil
		}
		name = vs.Names[0]
	default:
		return nil
	}
	if name == nil || name.Name == "_" || pass.TypesInfo.Defs[name] == nil {
		return nil
	}
	mentioned := false
	ast.Inspect(c.fn, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name.Name && lockStmt.Pos() <= id.Pos() && id.Pos() < stmt.Pos() {
			mentioned = true
		}
		return !mentioned
	})
	if mentioned {
		return nil
	}
	off := func(p token.Pos) int { return tf.Offset(p) }
	start := off(tf.LineStart(tf.Line(stmt.Pos())))
	if strings.TrimLeft(string(content[start:off(stmt.Pos())]), " \t") != "" {
		return nil
	}
	end := off(stmt.End())
	nl := strings.IndexByte(string(content[end:]), '\n')
	if nl < 0 {
		return nil
	}
	if tail := strings.TrimSpace(string(content[end : end+nl])); tail != "" && !strings.HasPrefix(tail, "//") {
		return nil
	}
	text := strings.TrimRight(string(content[off(stmt.Pos()):end+nl]), " \t\r")
	return []analysis.TextEdit{
		{Pos: lockStmt.Pos(), End: lockStmt.Pos(), NewText: []byte(text + "\n" + indent)},
		{Pos: tf.Pos(start), End: tf.Pos(end + nl + 1), NewText: nil},
	}
}

// tempName chooses the name of the variable that carries the allocation
// from before the lock statement to its use: after the field or variable
// it is assigned to when there is one, and never a name that is visible at
// the lock statement or used anywhere in the function.
func tempName(pass *analysis.Pass, fn ast.Node, lockStmt, stmt ast.Stmt, expr ast.Expr) string {
	base := ""
	if s, ok := stmt.(*ast.AssignStmt); ok && len(s.Lhs) == len(s.Rhs) {
		for i, r := range s.Rhs {
			if ast.Unparen(r) != expr {
				continue
			}
			switch l := ast.Unparen(s.Lhs[i]).(type) {
			case *ast.SelectorExpr:
				base = l.Sel.Name
			case *ast.Ident:
				base = l.Name
			}
		}
	}
	var cands []string
	if base != "" && base != "_" {
		base = lowerFirst(base)
		cands = append(cands, base, "new"+upperFirst(base))
	}
	cands = append(cands, "alloc")
	for i := 2; i <= 9; i++ {
		cands = append(cands, "alloc"+string(rune('0'+i)))
	}

	// Names in use, except those of fields and methods, which a local
	// variable does not hide.
	used := map[string]bool{}
	ast.Inspect(fn, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			obj := pass.TypesInfo.ObjectOf(id)
			if v, ok := obj.(*types.Var); ok && v.IsField() {
				return true
			}
			if f, ok := obj.(*types.Func); ok && f.Signature().Recv() != nil {
				return true
			}
			used[id.Name] = true
		}
		return true
	})
	scope := pass.Pkg.Scope().Innermost(lockStmt.Pos())
	for _, name := range cands {
		if !token.IsIdentifier(name) || used[name] {
			continue
		}
		if scope != nil {
			if _, obj := scope.LookupParent(name, lockStmt.Pos()); obj != nil {
				continue
			}
		}
		return name
	}
	return ""
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
