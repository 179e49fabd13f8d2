package forkafterthreads

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
)

// This file builds the suggested fixes of fdleak where the fix is
// mechanical: a direct, qualified call of syscall or x/sys/unix whose
// flags argument is a constant gets the call's own close-on-exec flag
// OR'ed in; a call that takes no flags becomes the one that does (Pipe
// to Pipe2, Accept to Accept4, InotifyInit to InotifyInit1, EpollCreate
// to EpollCreate1) where the package called has it.

// suggestedFix returns the fix of a creation without close-on-exec made
// by call, or nil when it is not mechanical. The engine says which
// argument holds the flags (cr.FlagsArg) and which call takes them
// (cr.Fixed); the fix edits the call's text.
func (c *checker) suggestedFix(call *ast.CallExpr, cr analyzer.FdCreation) []analysis.SuggestedFix {
	if !cr.Direct {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
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
	q := x.Name
	var edits []analysis.TextEdit
	var msg string
	switch {
	case cr.FlagsArg >= 0:
		if cr.Flag == "" || cr.FlagsArg >= len(call.Args) {
			return nil
		}
		arg := call.Args[cr.FlagsArg]
		tv := c.info.Types[arg]
		if tv.Value == nil {
			return nil // a variable: the fix belongs where it is assigned
		}
		flag := q + "." + cr.Flag
		if v := constant.ToInt(tv.Value); v.Kind() == constant.Int && constant.Sign(v) == 0 {
			if lit, ok := ast.Unparen(arg).(*ast.BasicLit); ok && lit.Kind == token.INT {
				edits = []analysis.TextEdit{{Pos: arg.Pos(), End: arg.End(), NewText: []byte(flag)}}
			}
		}
		if edits == nil {
			edits = []analysis.TextEdit{{Pos: arg.End(), End: arg.End(), NewText: []byte("|" + flag)}}
		}
		msg = "add " + flag + " to the flags"
	case cr.Fixed != "":
		if cr.FixedArgs > len(call.Args) || call.Ellipsis.IsValid() {
			return nil
		}
		flag := q + "." + cr.FixedFlag
		edits = []analysis.TextEdit{{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(cr.Fixed)}}
		if cr.FixedArgs == 0 {
			edits = append(edits, analysis.TextEdit{Pos: call.Lparen + 1, End: call.Rparen, NewText: []byte(flag)})
		} else {
			last := call.Args[cr.FixedArgs-1]
			edits = append(edits, analysis.TextEdit{Pos: last.End(), End: call.Rparen, NewText: []byte(", " + flag)})
		}
		msg = fmt.Sprintf("use %s.%s with %s", q, cr.Fixed, flag)
	default:
		return nil
	}
	return []analysis.SuggestedFix{{Message: msg, TextEdits: edits}}
}
