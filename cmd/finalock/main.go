// Command finalock reports what can hang or leak in Go code that runs at
// moments the program does not choose: finalizers, cleanups, signal
// handlers and forked children.
//
// Usage:
//
//	finalock [flags] packages...                  # standalone
//	go vet -vettool=$(which finalock) packages... # as a vet tool
//	finalock help [rule|pass]                     # the rules, or one's documentation
//
// Every finding ends with its pass and rule: (lockinfinalizer/lock). The
// -finalizers flag (goroutine or inline) says how the target runtime runs
// finalizers; it applies to every pass. Standalone, findings go to
// standard output, and finalock exits 0 when it finds nothing, 3 when it
// reports findings, 1 when a package could not be analysed (it still
// analyses the others) and 2 for bad flags.
package main

import (
	"flag"
	"os"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes"
	"golang.org/x/tools/go/analysis/multichecker"
)

func main() {
	if vetProtocol(os.Args[1:]) {
		// go vet asks for the flags and version, then passes one .cfg
		// file per package: the unitchecker protocol.
		flag.Var(analyzer.FinalizersFlag{}, "finalizers", analyzer.FinalizersUsage)
		oneFlagError(os.Args[len(os.Args)-1])
		multichecker.Main(passes.All()...)
		return
	}
	os.Exit(standalone(os.Args[1:], os.Stdout, os.Stderr))
}

// vetProtocol reports whether finalock was started by go vet.
func vetProtocol(args []string) bool {
	for _, a := range args {
		if a == "-flags" || a == "--flags" || strings.HasPrefix(a, "-V") || strings.HasPrefix(a, "--V") {
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}
