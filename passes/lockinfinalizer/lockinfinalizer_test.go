package lockinfinalizer_test

import (
	"path/filepath"
	"testing"

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
