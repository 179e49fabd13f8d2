package forkafterthreads

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// This file builds the suggested fixes of fdleak where the fix is
// mechanical: a direct, qualified call of syscall or x/sys/unix whose
// flags argument is a constant gets the call's own close-on-exec flag
// OR'ed in; a call that takes no flags becomes the one that does (Pipe
// to Pipe2, Accept to Accept4, InotifyInit to InotifyInit1, EpollCreate
// to EpollCreate1) where the package called has it.

// suggestedFix returns the fix of a creation without close-on-exec, or
// nil when it is not mechanical.
func (c *checker) suggestedFix(cr *creation) []analysis.SuggestedFix {
	if !cr.direct {
		return nil
	}
	sel, ok := ast.Unparen(cr.call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return nil
	}
	if _, ok := c.info.Uses[x].(*types.PkgName); !ok {
		return nil
	}
	q, spec := x.Name, cr.spec
	var edits []analysis.TextEdit
	var msg string
	switch {
	case spec.Flags >= 0:
		if cr.flag == "" || spec.Field != "" || spec.Flags >= len(cr.call.Args) {
			return nil
		}
		arg := cr.call.Args[spec.Flags]
		tv := c.info.Types[arg]
		if tv.Value == nil {
			return nil // a variable: the fix belongs where it is assigned
		}
		flag := q + "." + cr.flag
		if v := constant.ToInt(tv.Value); v.Kind() == constant.Int && constant.Sign(v) == 0 {
			if lit, ok := ast.Unparen(arg).(*ast.BasicLit); ok && lit.Kind == token.INT {
				edits = []analysis.TextEdit{{Pos: arg.Pos(), End: arg.End(), NewText: []byte(flag)}}
			}
		}
		if edits == nil {
			edits = []analysis.TextEdit{{Pos: arg.End(), End: arg.End(), NewText: []byte("|" + flag)}}
		}
		msg = "add " + flag + " to the flags"
	case spec.Fixed != "":
		if cr.pkg.Scope().Lookup(spec.Fixed) == nil || cr.pkg.Scope().Lookup(spec.FixedFlag) == nil ||
			spec.FixedArgs > len(cr.call.Args) || cr.call.Ellipsis.IsValid() {
			return nil
		}
		flag := q + "." + spec.FixedFlag
		edits = []analysis.TextEdit{{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(spec.Fixed)}}
		if spec.FixedArgs == 0 {
			edits = append(edits, analysis.TextEdit{Pos: cr.call.Lparen + 1, End: cr.call.Rparen, NewText: []byte(flag)})
		} else {
			last := cr.call.Args[spec.FixedArgs-1]
			edits = append(edits, analysis.TextEdit{Pos: last.End(), End: cr.call.Rparen, NewText: []byte(", " + flag)})
		}
		msg = fmt.Sprintf("use %s.%s with %s", q, spec.Fixed, flag)
	default:
		return nil
	}
	return []analysis.SuggestedFix{{Message: msg, TextEdits: edits}}
}
