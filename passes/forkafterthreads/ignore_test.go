package forkafterthreads_test

import (
	"testing"

	"github.com/finalock/finalock/passes/forkafterthreads"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestIgnore checks that //finalock:ignore suppresses this pass's rules
// and that a stale directive is reported by the pass that owns its rule.
func TestIgnore(t *testing.T) {
	analysistest.Run(t, testdata(t), forkafterthreads.Analyzer, "ignore/fds")
}
