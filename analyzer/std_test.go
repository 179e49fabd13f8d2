package analyzer_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes/lockinfinalizer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// TestNoStdFacts shows that finalock's results never depend on facts for
// the standard library, which Bazel's nogo does not compute: the engine
// runs on every std dependency of a module yet exports no fact there, and
// the module's cross-package findings are all found.
func TestNoStdFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a module and its std dependencies")
	}
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  filepath.Join("..", "testdata", "src", "vetmod"),
		Env:  append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{lockinfinalizer.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	stdRuns := 0
	for act := range graph.All() {
		if act.Analyzer != analyzer.Analyzer || !analyzer.IsStd(act.Package.PkgPath) {
			continue
		}
		stdRuns++
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() == act.Package.Types {
				t.Errorf("%s: fact %v on %v", act.Package.PkgPath, f.Fact, f.Object)
			}
		}
		for _, f := range act.AllPackageFacts() {
			if f.Package == act.Package.Types {
				t.Errorf("%s: package fact %v", act.Package.PkgPath, f.Fact)
			}
		}
	}
	if stdRuns == 0 {
		t.Fatal("the engine ran on no std package")
	}
	found := 0
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
		found += len(act.Diagnostics)
	}
	// vetmod's seven lockinfinalizer findings: lock three times, blocking
	// and relock, and a blocking and a relock callback of hooks' signal
	// handler in app.
	if found != 7 {
		t.Errorf("%d findings, want 7", found)
	}
}
