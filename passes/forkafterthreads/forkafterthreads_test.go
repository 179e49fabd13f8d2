package forkafterthreads_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/finalock/finalock/passes/forkafterthreads"
	"golang.org/x/tools/go/analysis/analysistest"
)

// testdata is the repository's testdata root, made absolute: go list
// rejects a relative GOPATH.
func testdata(t *testing.T) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// run checks the packages for goos/amd64, whatever the host.
func run(t *testing.T, goos string, pkgs ...string) {
	t.Helper()
	t.Setenv("GOOS", goos)
	t.Setenv("GOARCH", "amd64")
	t.Setenv("CGO_ENABLED", "0")
	for i, p := range pkgs {
		pkgs[i] = "forkafterthreads/" + p
	}
	analysistest.Run(t, testdata(t), forkafterthreads.Analyzer, pkgs...)
}

// TestFixes checks the suggested fixes of fdleak against
// fdfix/fdfix.go.golden, and that every call the golden file changes has
// one (analysistest checks the golden file only when some fix exists).
func TestFixes(t *testing.T) {
	t.Setenv("GOOS", "linux")
	t.Setenv("GOARCH", "amd64")
	t.Setenv("CGO_ENABLED", "0")
	const fixable = 12 // the calls of flags and noFlags in fdfix.go
	fixed := 0
	for _, r := range analysistest.RunWithSuggestedFixes(t, testdata(t), forkafterthreads.Analyzer, "forkafterthreads/fdfix") {
		for _, d := range r.Diagnostics {
			if len(d.SuggestedFixes) > 0 {
				fixed++
			}
		}
	}
	if fixed != fixable {
		t.Errorf("%d diagnostics with a suggested fix, want %d", fixed, fixable)
	}
}

func TestRawFork(t *testing.T) { run(t, "linux", "rawfork") }

func TestExec(t *testing.T) { run(t, "linux", "exec", "execinit", "execfacts", "reexec") }

// TestExecJoined checks goroutine starts joined before their function
// returns, in the package and, through facts, in another one.
func TestExecJoined(t *testing.T) { run(t, "linux", "execjoin") }

func TestFDLeak(t *testing.T) { run(t, "linux", "fdleak") }

// TestFDLeakVars checks flags from variables and parameters whose every
// value is known, and the race window in a library.
func TestFDLeakVars(t *testing.T) { run(t, "linux", "fdvars") }

// TestFDLeakSSA checks flags that only a flow-sensitive evaluation gets
// right: the value a variable holds at the call, XOR, a closure's
// stores, a wrapper method's receiver.
func TestFDLeakSSA(t *testing.T) { run(t, "linux", "fdssa") }

// TestNoSpawn checks that marking a descriptor after creating it is left
// alone in a program that starts no process.
func TestNoSpawn(t *testing.T) { run(t, "linux", "nospawn") }

// TestImportedWrapper checks fd-creating wrappers of another package,
// known from their facts.
func TestImportedWrapper(t *testing.T) {
	run(t, "linux", "xwrapuse")
	run(t, "linux", "xwraponly")
}

// TestFdEffects checks that a wrapper whose descriptor gets close-on-exec
// other than from a flags argument (F_DUPFD_CLOEXEC, F_SETFD, Openat2's
// OpenHow) gets the same answer in its own package and from an importer.
func TestFdEffects(t *testing.T) { run(t, "linux", "xdup", "xdupuse") }

func TestForkLock(t *testing.T) { run(t, "linux", "forklock") }

func TestPdeathsig(t *testing.T) { run(t, "linux", "pdeathsig") }

// TestPdeathsigAcross checks commands whose Pdeathsig is set in one
// function and started in another: in the package, and from an importer
// of the constructors and fields (known from their facts).
func TestPdeathsigAcross(t *testing.T) { run(t, "linux", "pdeathsigx", "pdeathsiguse") }

// The files of these packages are built only for their GOOS; constants
// such as O_CLOEXEC and SYS_FORK have other values there.

func TestDarwin(t *testing.T) { run(t, "darwin", "darwin") }

func TestFreeBSD(t *testing.T) { run(t, "freebsd", "freebsd") }

func TestSolaris(t *testing.T) { run(t, "solaris", "solaris") }

func TestPlan9(t *testing.T) { run(t, "plan9", "plan9") }

// TestCgo needs cgo for the host: go list runs cgo on the package.
func TestCgo(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("cgo test package is for linux")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no C compiler")
	}
	t.Setenv("CGO_ENABLED", "1")
	analysistest.Run(t, testdata(t), forkafterthreads.Analyzer, "forkafterthreads/cgofork")
}

// TestExecGroup checks goroutine starts that a callee counts on a
// WaitGroup and that its caller joins with another call on the same
// object, through the facts of another package.
func TestExecGroup(t *testing.T) { run(t, "linux", "execgroup") }
