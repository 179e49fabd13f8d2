package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// IgnoreDirective starts a suppression comment:
//
//	//finalock:ignore rule[,rule] reason
//
// On the reported line or the line above it, it suppresses the rules'
// findings there; in a function's doc comment, in the whole function.
const IgnoreDirective = "//finalock:ignore"

// ownerOfUnknown is the pass that reports directives naming no rule of
// the suite.
const ownerOfUnknown = "lockinfinalizer"

type directive struct {
	pos      token.Pos
	file     string
	from, to int // lines covered
	rules    []string
	reason   string
	used     map[string]bool
}

// Ignores returns a copy of pass whose Report ends every message with the
// rule (RuleSuffix) and drops the diagnostics that a //finalock:ignore
// directive covers, and a function to call when the pass is done: it
// reports the directives this pass owns that are malformed or suppressed
// nothing. With active false (a pass that reports nothing under the
// current model) it does not call directives stale.
//
// Every pass calls Ignores first and reports through the pass it returns:
// it is the one place where a message gets its rule.
func Ignores(pass *analysis.Pass, active bool) (*analysis.Pass, func()) {
	name := pass.Analyzer.Name
	emit := pass.Report
	report := func(d analysis.Diagnostic) {
		if _, p, r, ok := CutRuleSuffix(d.Message); !ok || p != name || r != d.Category {
			d.Message += RuleSuffix(name, d.Category)
		}
		emit(d)
	}
	dirs := parseDirectives(pass)
	p := *pass
	p.Report = func(d analysis.Diagnostic) {
		pos := pass.Fset.Position(d.Pos)
		suppressed := false
		for _, dir := range dirs {
			if dir.file != pos.Filename || pos.Line < dir.from || pos.Line > dir.to || dir.reason == "" {
				continue
			}
			for _, r := range dir.rules {
				if r == d.Category {
					dir.used[r] = true
					suppressed = true
				}
			}
		}
		if !suppressed {
			report(d)
		}
	}
	done := func() {
		for _, dir := range dirs {
			if dir.reason == "" || len(dir.rules) == 0 {
				if owner(firstOr(dir.rules)) == name {
					report(analysis.Diagnostic{Pos: dir.pos, Category: IgnoreRule,
						Message: IgnoreDirective + " needs a rule and a reason: " + IgnoreDirective + " rule reason"})
				}
				continue
			}
			for _, r := range dir.rules {
				switch {
				case owner(r) != name:
				case func() bool { _, ok := RuleNamed(r); return !ok }():
					report(analysis.Diagnostic{Pos: dir.pos, Category: IgnoreRule,
						Message: fmt.Sprintf("%s names %q, which is not a finalock rule", IgnoreDirective, r)})
				case active && !dir.used[r]:
					report(analysis.Diagnostic{Pos: dir.pos, Category: IgnoreRule,
						Message: fmt.Sprintf("%s %s suppresses nothing here: remove it", IgnoreDirective, r)})
				}
			}
		}
	}
	return &p, done
}

func firstOr(rules []string) string {
	if len(rules) == 0 {
		return ""
	}
	return rules[0]
}

// owner returns the pass that judges directives naming rule.
func owner(rule string) string {
	if r, ok := RuleNamed(rule); ok && r.Pass != "" {
		return r.Pass
	}
	return ownerOfUnknown
}

// parseDirectives finds the directives in the package's files.
func parseDirectives(pass *analysis.Pass) []*directive {
	var dirs []*directive
	for _, f := range pass.Files {
		docs := map[*ast.CommentGroup]ast.Node{}
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Doc != nil {
				docs[fd.Doc] = fd
			}
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text, ok := strings.CutPrefix(c.Text, IgnoreDirective)
				if !ok || (text != "" && text[0] != ' ' && text[0] != '\t') {
					continue
				}
				pos := pass.Fset.Position(c.Pos())
				d := &directive{pos: c.Pos(), file: pos.Filename, from: pos.Line, to: pos.Line + 1, used: map[string]bool{}}
				if fn, ok := docs[cg]; ok {
					d.from, d.to = pass.Fset.Position(fn.Pos()).Line, pass.Fset.Position(fn.End()).Line
				}
				fields := strings.Fields(text)
				if len(fields) > 0 {
					for _, r := range strings.Split(fields[0], ",") {
						if r != "" {
							d.rules = append(d.rules, r)
						}
					}
					d.reason = strings.Join(fields[1:], " ")
				}
				dirs = append(dirs, d)
			}
		}
	}
	return dirs
}
