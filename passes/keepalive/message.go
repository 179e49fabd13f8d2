package keepalive

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
)

// objName is what the runtime's documentation calls the object.
func objName(k *analyzer.KeepAlive) string {
	if k.Kind == analyzer.RootCleanup {
		return "ptr"
	}
	return "obj"
}

// start names where the reference starts: the argument or the function.
func start(k *analyzer.KeepAlive) string {
	switch {
	case k.FromArg:
		return "arg"
	case k.Func != "":
		return k.Func
	}
	return "the " + k.Kind.String()
}

// describe renders the reference without positions: "arg.conn.owner
// points back to ptr", "Open.func1 captures c, and c.owner points back to
// ptr".
func describe(pass *analysis.Pass, k *analyzer.KeepAlive) string {
	obj := objName(k)
	if len(k.Refs) == 0 {
		return start(k) + " is " + obj
	}
	var parts []string
	cur := start(k)
	for i, r := range k.Refs {
		last := i == len(k.Refs)-1
		switch r.Kind {
		case analyzer.RefField:
			name := r.Name
			if name == "" {
				name = "(a field)" // of a type parameter's struct
			}
			cur += "." + name
		case analyzer.RefElem:
			cur += "[…]"
		case analyzer.RefCapture:
			if last {
				parts = append(parts, cur+" captures "+r.Name+", which is "+obj)
				return strings.Join(parts, ", and ")
			}
			parts = append(parts, cur+" captures "+r.Name)
			cur = r.Name
		case analyzer.RefBound:
			// Name the method value as the code writes it: c.release.
			recv := "its receiver"
			if sel := selectorAt(pass, r.Pos); sel != nil {
				cur, recv = types.ExprString(sel), types.ExprString(sel.X)
			}
			if last {
				parts = append(parts, "method value "+cur+" is bound to "+obj)
				return strings.Join(parts, ", and ")
			}
			parts = append(parts, "method value "+cur+" is bound to "+recv)
			cur = recv
		case analyzer.RefInto:
			// A pointer into an object keeps all of it: only the
			// last one, into the object itself, is worth naming.
			if last {
				into := cur + " points into " + obj
				if r.Name != "" {
					into += " (its field " + r.Name + ")"
				}
				parts = append(parts, into)
				return strings.Join(parts, ", and ")
			}
		}
	}
	parts = append(parts, cur+" points back to "+obj)
	return strings.Join(parts, ", and ")
}

// message renders a finding: what never runs and which reference keeps
// the object, with where the code makes the last link.
func message(pass *analysis.Pass, k *analyzer.KeepAlive) string {
	msg := k.Kind.String() + " never runs: " + describe(pass, k)
	if n := len(k.Refs); n > 0 {
		last := k.Refs[n-1]
		var where []string
		if last.By != "" {
			where = append(where, "stored by "+last.By)
		}
		if s := analyzer.StepAt(pass.Fset, "", last.Pos); s.File != "" {
			where = append(where, s.File+":"+strconv.Itoa(s.Line))
		}
		if len(where) > 0 {
			msg += " (" + strings.Join(where, ", ") + ")"
		}
	}
	if k.Via != "" {
		msg += ", registered through " + k.Via
	}
	return msg
}

// selectorAt returns the selector expression of a method value made at
// pos, or nil.
func selectorAt(pass *analysis.Pass, pos token.Pos) *ast.SelectorExpr {
	if !pos.IsValid() {
		return nil
	}
	var found *ast.SelectorExpr
	for _, f := range pass.Files {
		if pos < f.FileStart || pos > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if found != nil || n == nil || pos < n.Pos() || pos >= n.End() {
				return false
			}
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Pos() == pos {
				found = sel
			}
			return found == nil
		})
	}
	return found
}

// key identifies the finding apart from its words and positions.
func key(k *analyzer.KeepAlive) string {
	var path strings.Builder
	for _, r := range k.Refs {
		path.WriteString(refKinds[r.Kind] + ":" + r.Name + ";")
	}
	from := "func"
	if k.FromArg {
		from = "arg"
	}
	return analyzer.KeyOf(k.Kind.String()+" "+k.Func, k.Via, from, path.String())
}

var refKinds = map[analyzer.RefKind]string{
	analyzer.RefField: "field", analyzer.RefElem: "elem", analyzer.RefCapture: "capture",
	analyzer.RefBound: "bound", analyzer.RefInto: "into",
}

// steps returns the reference as steps, for the drivers that show paths:
// the registration, where the reference starts, each link where the code
// makes it, and the object.
func steps(pass *analysis.Pass, k *analyzer.KeepAlive) []analyzer.Step {
	from := k.Pos
	if !k.FromArg && k.FuncPos.IsValid() {
		from = k.FuncPos
	}
	out := []analyzer.Step{
		analyzer.StepAt(pass.Fset, k.Kind.String()+" registered", k.Pos),
		analyzer.StepAt(pass.Fset, start(k), from),
	}
	for _, r := range k.Refs {
		text := refKinds[r.Kind]
		if r.Name != "" {
			text += " " + r.Name
		}
		out = append(out, analyzer.StepAt(pass.Fset, text, r.Pos))
	}
	obj := k.ObjPos
	if !obj.IsValid() {
		obj = k.Pos
	}
	return append(out, analyzer.StepAt(pass.Fset, objName(k), obj))
}
