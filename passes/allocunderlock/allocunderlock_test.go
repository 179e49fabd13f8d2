package allocunderlock_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes/allocunderlock"
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

// model sets the suite-wide finalization model for one test.
func model(t *testing.T, name string) {
	t.Helper()
	old := string(analyzer.Finalizers())
	if err := analyzer.SetFinalizers(name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { analyzer.SetFinalizers(old) })
}

func TestPool(t *testing.T) {
	model(t, "inline")
	analysistest.RunWithSuggestedFixes(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/pool")
}

func TestPoolFixed(t *testing.T) {
	model(t, "inline")
	analysistest.Run(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/poolfixed")
}

func TestSpans(t *testing.T) {
	model(t, "inline")
	analysistest.Run(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/spans")
}

func TestCrossPackage(t *testing.T) {
	model(t, "inline")
	analysistest.Run(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/a")
}

func TestSignal(t *testing.T) {
	model(t, "inline")
	analysistest.Run(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/signal")
}

func TestByValue(t *testing.T) {
	model(t, "inline")
	analysistest.Run(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/byvalue")
}

func TestFixes(t *testing.T) {
	model(t, "inline")
	analysistest.RunWithSuggestedFixes(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/fixes")
}

func TestRWMutex(t *testing.T) {
	model(t, "inline")
	analysistest.Run(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/rwmutex")
}

func TestAppendCapacity(t *testing.T) {
	model(t, "inline")
	analysistest.Run(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/appendcap")
}

// recorder collects what analysistest reports instead of failing the test.
type recorder struct{ msgs []string }

func (e *recorder) Errorf(format string, args ...any) {
	e.msgs = append(e.msgs, fmt.Sprintf(format, args...))
}

// TestGoroutineModel runs the packages that are reported under inline with
// the default model: the gc runtime never runs a finalizer inside an
// allocation, so nothing is reported.
func TestGoroutineModel(t *testing.T) {
	model(t, "goroutine")
	for _, pkg := range []string{"allocunderlock/pool", "allocunderlock/spans", "allocunderlock/a", "allocunderlock/fixes"} {
		var errs recorder
		results := analysistest.Run(&errs, testdata(t), allocunderlock.Analyzer, pkg)
		if len(results) == 0 {
			t.Fatalf("%s: no results: %v", pkg, errs.msgs)
		}
		missing := 0
		for _, msg := range errs.msgs {
			if strings.Contains(msg, "no diagnostic was reported matching") {
				missing++
			} else {
				t.Errorf("%s: %s", pkg, msg)
			}
		}
		if missing == 0 {
			t.Errorf("%s: expected the inline diagnostics to be missing", pkg)
		}
		for _, r := range results {
			if r.Err != nil {
				t.Errorf("%s: %v", pkg, r.Err)
			}
			for _, d := range r.Diagnostics {
				t.Errorf("%s: reported under finalizers=goroutine: %s: %s", pkg, r.Pass.Fset.Position(d.Pos), d.Message)
			}
		}
	}
}

// TestDoc checks that the documentation says why the default model is
// silent.
func TestDoc(t *testing.T) {
	doc := allocunderlock.Analyzer.Doc
	if title, _, _ := strings.Cut(doc, "\n"); !strings.HasPrefix(title, "report allocations under a lock") {
		t.Errorf("Doc title = %q", title)
	}
	for _, s := range []string{"-finalizers=goroutine", "freeSpecial", "queuefinalizer", "on its own", "xgo-dev/llgo#2481", "#2587", "-finalizers=inline"} {
		if !strings.Contains(doc, s) {
			t.Errorf("Doc does not mention %q", s)
		}
	}
}

// TestCgo needs cgo for the host: go list runs cgo on the package.
func TestCgo(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no C compiler")
	}
	t.Setenv("CGO_ENABLED", "1")
	model(t, "inline")
	analysistest.Run(t, testdata(t), allocunderlock.Analyzer, "allocunderlock/cgoalloc")
}
