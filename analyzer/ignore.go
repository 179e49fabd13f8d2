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
// findings there; in a function's doc comment, in the whole function. A
// rule is named alone (lock) or with its pass (lockinfinalizer/lock), as
// findings end.
const IgnoreDirective = "//finalock:ignore"

// ownerOfUnknown is the pass that reports directives naming no rule of
// the suite.
const ownerOfUnknown = "lockinfinalizer"

type directive struct {
	pos      token.Pos
	comment  *ast.Comment
	file     string
	from, to int      // lines covered
	rules    []string // as written: "lock" or "lockinfinalizer/lock"
	reason   string
	used     map[string]bool // by rule name
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
	report := pass.Report
	emit := func(d analysis.Diagnostic) {
		if _, p, r, ok := CutRuleSuffix(d.Message); !ok || p != name || r != d.Category {
			d.Message += RuleSuffix(name, d.Category)
		}
		report(d)
	}
	dirs := parseDirectives(pass)
	var shown []analysis.Diagnostic
	p := *pass
	p.Report = func(d analysis.Diagnostic) {
		if !suppress(pass.Fset, dirs, d) {
			shown = append(shown, d)
			emit(d)
		}
	}
	done := func() {
		for _, dir := range dirs {
			judge(pass, dir, active, shown, emit)
		}
	}
	return &p, done
}

// suppress reports whether a directive with a reason covers d, and marks
// the directives that do as used.
func suppress(fset *token.FileSet, dirs []*directive, d analysis.Diagnostic) bool {
	pos := fset.Position(d.Pos)
	suppressed := false
	for _, dir := range dirs {
		if dir.file != pos.Filename || pos.Line < dir.from || pos.Line > dir.to || dir.reason == "" {
			continue
		}
		for _, r := range dir.rules {
			if rule, ok := resolveRule(r); ok && rule.Name == d.Category {
				dir.used[rule.Name] = true
				suppressed = true
			}
		}
	}
	return suppressed
}

// judge reports what is wrong with a directive that this pass owns: no
// rule or no reason, a name that is no rule, or a rule it suppressed
// nothing of (only when active).
func judge(pass *analysis.Pass, dir *directive, active bool, shown []analysis.Diagnostic, emit func(analysis.Diagnostic)) {
	name := pass.Analyzer.Name
	if dir.reason == "" || len(dir.rules) == 0 {
		first := ""
		if len(dir.rules) > 0 {
			first = dir.rules[0]
		}
		if owner(first) == name {
			emit(analysis.Diagnostic{Pos: dir.pos, Category: IgnoreRule,
				Message: IgnoreDirective + " needs a rule and a reason: " + IgnoreDirective + " rule reason"})
		}
		return
	}
	var stale []string
	for _, r := range dir.rules {
		if rule, ok := resolveRule(r); ok && rule.Pass == name && active && !dir.used[rule.Name] {
			stale = append(stale, r)
		}
	}
	for _, r := range dir.rules {
		if owner(r) != name {
			continue
		}
		rule, ok := resolveRule(r)
		switch {
		case !ok:
			emit(analysis.Diagnostic{Pos: dir.pos, Category: IgnoreRule, Message: unknownRule(r)})
		case active && !dir.used[rule.Name]:
			d := analysis.Diagnostic{Pos: dir.pos, Category: IgnoreRule, Message: staleMessage(pass.Fset, dir, r, rule.Name, shown)}
			if fix := dropRules(pass, dir, stale); fix != nil {
				d.SuggestedFixes = []analysis.SuggestedFix{*fix}
			}
			emit(d)
		}
	}
}

// owner returns the pass that judges directives naming rule.
func owner(name string) string {
	if r, ok := resolveRule(name); ok {
		return r.Pass
	}
	return ownerOfUnknown
}

// resolveRule returns the rule a directive names, "lock" or
// "lockinfinalizer/lock". The ignore rule is not one: findings about
// directives cannot be suppressed.
func resolveRule(name string) (Rule, bool) {
	pass, rule, qualified := strings.Cut(name, "/")
	if !qualified {
		rule = name
	}
	r, ok := RuleNamed(rule)
	if !ok || r.Pass == "" || (qualified && r.Pass != pass) {
		return Rule{}, false
	}
	return r, true
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
				d := &directive{pos: c.Pos(), comment: c, file: pos.Filename, from: pos.Line, to: pos.Line + 1, used: map[string]bool{}}
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

// unknownRule says that a directive names no rule, and lists those it
// can name.
func unknownRule(name string) string {
	if name == IgnoreRule {
		return fmt.Sprintf("%s names %q: findings about directives cannot be suppressed; fix or remove the directive", IgnoreDirective, name)
	}
	if rules := RulesOf(name); len(rules) > 0 {
		return fmt.Sprintf("%s names the pass %q, not a rule; its rules are %s", IgnoreDirective, name, strings.Join(rules, ", "))
	}
	var names []string
	for _, r := range Rules {
		if r.Pass != "" {
			names = append(names, r.Name)
		}
	}
	return fmt.Sprintf("%s names %q, which is not a finalock rule; the rules are %s", IgnoreDirective, name, strings.Join(names, ", "))
}
