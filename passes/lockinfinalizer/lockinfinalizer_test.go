package lockinfinalizer_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes/lockinfinalizer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// testdata returns the repository's GOPATH-style test tree. GOPATH
// entries must be absolute.
func testdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRoots(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/roots")
}

func TestRootsCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/rootsx")
}

func TestSignals(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/signals")
}

func TestBlocking(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/blocking")
}

func TestLocks(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/locks")
}

func TestCycle(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/cycle")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/xa", "lockinfinalizer/xb", "lockinfinalizer/xc")
}

// setFinalizers switches the suite-wide finalization model for one test.
func setFinalizers(t *testing.T, model string) {
	t.Helper()
	if err := analyzer.SetFinalizers(model); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := analyzer.SetFinalizers(string(analyzer.Goroutine)); err != nil {
			t.Error(err)
		}
	})
}

func TestInline(t *testing.T) {
	setFinalizers(t, string(analyzer.Inline))
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/inline")
}

// unmet records analysistest's complaints, to check a package against
// expectations written for another model.
type unmet struct{ errs []string }

func (u *unmet) Errorf(format string, args ...any) {
	u.errs = append(u.errs, fmt.Sprintf(format, args...))
}

// TestInlineUnderGoroutine runs the package of TestInline under the gc
// model: it must report nothing, so the only complaints are the unmet
// "want" expectations of the inline model.
func TestInlineUnderGoroutine(t *testing.T) {
	setFinalizers(t, string(analyzer.Goroutine))
	u := new(unmet)
	results := analysistest.Run(u, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/inline")
	if len(results) != 1 {
		t.Fatalf("got %d results, want 1", len(results))
	}
	for _, d := range results[0].Diagnostics {
		t.Errorf("unexpected diagnostic under finalizers=goroutine: %s", d.Message)
	}
	for _, e := range u.errs {
		if !strings.Contains(e, "no diagnostic was reported matching") {
			t.Error(e)
		}
	}
	if len(u.errs) == 0 {
		t.Error("the inline expectations were all met under finalizers=goroutine")
	}
}

// TestSignalsInline checks that the model changes nothing for signal
// handlers: the expectations of TestSignals hold under inline too.
func TestSignalsInline(t *testing.T) {
	setFinalizers(t, string(analyzer.Inline))
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/signals")
}
