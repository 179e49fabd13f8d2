// Command finalock reports what can hang or leak in Go code that runs at
// moments the program does not choose: finalizers, cleanups, signal
// handlers and forked children.
//
// Usage:
//
//	finalock [flags] packages...                  # standalone
//	go vet -vettool=$(which finalock) packages... # as a vet tool
//
// The -finalizers flag (goroutine or inline) says how the target runtime
// runs finalizers; it applies to every pass.
package main

import (
	"flag"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes/lockinfinalizer"
	"golang.org/x/tools/go/analysis/multichecker"
)

func main() {
	flag.Var(analyzer.FinalizersFlag{}, "finalizers", analyzer.FinalizersUsage)
	multichecker.Main(lockinfinalizer.Analyzer)
}
