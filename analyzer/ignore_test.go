package analyzer_test

import (
	"go/ast"
	"go/constant"
	"path/filepath"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// harness returns a pass called name that reports, at each call
// report(rule, message) of its package, a finding of that rule with that
// message, through analyzer.Ignores as every pass of the suite does.
func harness(name string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: name,
		Doc:  "report what report(rule, message) calls name, through analyzer.Ignores",
		Run: func(pass *analysis.Pass) (any, error) {
			pass, flush := analyzer.Ignores(pass, true)
			defer flush()
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok || len(call.Args) != 2 {
						return true
					}
					if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "report" {
						return true
					}
					rule, msg := pass.TypesInfo.Types[call.Args[0]].Value, pass.TypesInfo.Types[call.Args[1]].Value
					pass.Report(analysis.Diagnostic{Pos: call.Pos(), Category: constant.StringVal(rule), Message: constant.StringVal(msg)})
					return true
				})
			}
			return nil, nil
		},
	}
}

// TestIgnores checks what every pass gets from analyzer.Ignores: the rule
// at the end of each message, rules named with their pass, the valid
// names listed for a wrong one, a stale directive on a line that a
// finding's witness passes through told where that finding is, and fixes
// that drop stale rules (checked against directives.go.golden).
func TestIgnores(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), harness("lockinfinalizer"), "ignore/directives")
}

// TestIgnoresForeign checks that a pass leaves alone the directives that
// another pass judges: malformed ones, unknown names and rules of
// lockinfinalizer are that pass's to report, once.
func TestIgnoresForeign(t *testing.T) {
	analysistest.Run(t, testdata(t), harness("forkafterthreads"), "ignore/foreign")
}

func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCutRuleSuffix(t *testing.T) {
	for _, tc := range []struct {
		msg, rest, id string
		ok            bool
	}{
		{"takes Pool.mu: f → Pool.mu.Lock (a.go:3) (lockinfinalizer/lock)", "takes Pool.mu: f → Pool.mu.Lock (a.go:3)", "lockinfinalizer/lock", true},
		{"syscall.Exec while others run (forkafterthreads/exec)", "syscall.Exec while others run", "forkafterthreads/exec", true},
		{"f → Pool.mu.Lock (a.go:3)", "f → Pool.mu.Lock (a.go:3)", "", false},
		{"see (golang/go#18146)", "see (golang/go#18146)", "", false},
		{"unknown pass (nosuchpass/lock)", "unknown pass (nosuchpass/lock)", "", false},
		{"can wait (and 1 more)", "can wait (and 1 more)", "", false},
		{"", "", "", false},
	} {
		rest, pass, rule, ok := analyzer.CutRuleSuffix(tc.msg)
		id := ""
		if ok {
			id = analyzer.RuleID(pass, rule)
		}
		if rest != tc.rest || id != tc.id || ok != tc.ok {
			t.Errorf("CutRuleSuffix(%q) = %q, %q, %v; want %q, %q, %v", tc.msg, rest, id, ok, tc.rest, tc.id, tc.ok)
		}
		if ok && rest+analyzer.RuleSuffix(pass, rule) != tc.msg {
			t.Errorf("RuleSuffix does not restore %q", tc.msg)
		}
	}
}
