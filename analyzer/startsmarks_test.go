package analyzer_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFactsCarryStartsAndMarks checks Summary.Starts and Summary.Marks in
// the facts of exported functions: a process start through an unexported
// helper, none for a start on a goroutine the function starts, and a
// parameter marked close-on-exec through a helper. Each is encoded twice
// to the same bytes.
func TestFactsCarryStartsAndMarks(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(lenient{t}, dir, analyzer.Analyzer,
		"forkafterthreads/forklock/spawner", "forkafterthreads/fdleak/marker")
	sums := map[string]*analyzer.Summary{}
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Action.Package.Types.Path(), r.Err)
		}
		for obj, facts := range r.Facts {
			for _, f := range facts {
				if s, ok := f.(*analyzer.Summary); ok && obj != nil {
					sums[obj.Pkg().Path()+"."+obj.Name()] = s
					if !bytes.Equal(encode(t, s), encode(t, s)) {
						t.Errorf("%s: two encodings differ", obj.Name())
					}
				}
			}
		}
	}
	run := sums["forkafterthreads/forklock/spawner.Run"]
	if run == nil || len(run.Starts) != 2 || run.Starts[0].Func != "run" || run.Starts[1].Func != "(*exec.Cmd).Run" {
		t.Errorf("spawner.Run: Starts = %+v, want run → (*exec.Cmd).Run", run)
	}
	if bg := sums["forkafterthreads/forklock/spawner.Background"]; bg != nil && bg.Starts != nil {
		t.Errorf("spawner.Background: Starts = %+v, want none (the start is on its own goroutine)", bg.Starts)
	}
	cloexec := sums["forkafterthreads/fdleak/marker.Cloexec"]
	if cloexec == nil || !slices.Equal(cloexec.Marks, []int{0}) {
		t.Errorf("marker.Cloexec: %+v, want Marks [0]", cloexec)
	}
}
