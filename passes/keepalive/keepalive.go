package keepalive

import (
	_ "embed"
	"fmt"
	"runtime/debug"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Analyzer reports finalizers and cleanups that can never run because
// their function or argument keeps the object reachable.
var Analyzer = &analysis.Analyzer{
	Name:       "keepalive",
	Doc:        analyzer.ExtractDoc(doc, "keepalive"),
	URL:        "https://github.com/finalock/finalock#keepalive",
	Requires:   []*analysis.Analyzer{analyzer.Analyzer},
	Run:        run,
	ResultType: analyzer.FindingsType,
}

// RuleKeepAlive is the category of the pass's diagnostics.
const RuleKeepAlive = "keepalive"

func run(pass *analysis.Pass) (_ any, err error) {
	pass, flush := analyzer.Ignores(pass, true)
	defer flush()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("keepalive: internal error checking %s: %v\n%s", pass.Pkg.Path(), r, debug.Stack())
		}
	}()
	res := pass.ResultOf[analyzer.Analyzer].(*analyzer.Result)
	if err := res.Err(); err != nil {
		return nil, err
	}
	fs := new(analyzer.Findings)
	for _, k := range res.KeepAlives() {
		if !k.Pos.IsValid() {
			continue
		}
		d := analysis.Diagnostic{Pos: k.Pos, Category: RuleKeepAlive, Message: message(pass, k)}
		if fix := suggestFix(pass, k); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		fs.Report(pass, d, key(k), analyzer.Flow{Message: "the reference", Steps: steps(pass, k)})
	}
	return fs, nil
}
