package lockinfinalizer_test

import (
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes/lockinfinalizer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestIgnore checks //finalock:ignore: on the line, on the line above, in
// a function's doc comment; a missing reason, a stale directive and an
// unknown rule are reported.
func TestIgnore(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "ignore/finalizers")
}

// TestBufferedSend checks that a send a channel's buffer has room for is
// not a wait, and that every way of running out of room still is.
func TestBufferedSend(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/bufsend")
}

// TestCapturedReceiver checks that a closure capturing the finalized
// object does not cost its by-value mutex the exemption.
func TestCapturedReceiver(t *testing.T) {
	if err := analyzer.SetFinalizers("inline"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { analyzer.SetFinalizers("goroutine") })
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/capture")
}

// TestSweepShapes checks shapes found by running finalock over popular
// modules: a reply channel every call makes anew, a select that another
// goroutine can complete, and Conds whose lock is given through a field.
func TestSweepShapes(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/sweepfp")
}
