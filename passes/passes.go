// Package passes lists finalock's passes: the suite every driver runs.
package passes

import (
	"github.com/finalock/finalock/passes/allocunderlock"
	"github.com/finalock/finalock/passes/forkafterthreads"
	"github.com/finalock/finalock/passes/keepalive"
	"github.com/finalock/finalock/passes/lockinfinalizer"
	"golang.org/x/tools/go/analysis"
)

// All returns finalock's passes in a fixed order.
func All() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		lockinfinalizer.Analyzer,
		allocunderlock.Analyzer,
		forkafterthreads.Analyzer,
		keepalive.Analyzer,
	}
}
