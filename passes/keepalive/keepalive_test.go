package keepalive_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/finalock/finalock/passes/keepalive"
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

func TestBasic(t *testing.T) {
	analysistest.Run(t, testdata(t), keepalive.Analyzer, "keepalive/basic")
}

func TestSilent(t *testing.T) {
	analysistest.Run(t, testdata(t), keepalive.Analyzer, "keepalive/silent")
}

func TestHelpers(t *testing.T) {
	analysistest.Run(t, testdata(t), keepalive.Analyzer, "keepalive/helpers")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), keepalive.Analyzer, "keepalive/fixes")
}

func TestRobust(t *testing.T) {
	analysistest.Run(t, testdata(t), keepalive.Analyzer, "keepalive/robust")
}

// TestCgo needs cgo for the host: go list runs cgo on the package.
func TestCgo(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no C compiler")
	}
	t.Setenv("CGO_ENABLED", "1")
	analysistest.Run(t, testdata(t), keepalive.Analyzer, "keepalive/cgo")
}
