package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/finalock/finalock/analyzer"

	"github.com/finalock/finalock/passes"
	"golang.org/x/tools/go/analysis"
)

// Exit codes of the standalone driver.
const (
	exitClean    = 0
	exitError    = 1
	exitUsage    = 2
	exitFindings = 3
)

// options are the standalone driver's flags.
type options struct {
	format        string
	tests         bool
	tags          string
	verbose       bool
	modular       bool
	fix           bool
	diff          bool
	baseline      string
	writeBaseline string
	cpuprofile    string
	memprofile    string
	enabled       map[string]*bool
	json          *bool
}

// newFlags returns the standalone driver's flag set, which fills opts.
// It prints nothing itself: parse errors are returned, and usage prints
// the help text.
func newFlags(opts *options) *flag.FlagSet {
	fs := flag.NewFlagSet("finalock", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Var(analyzer.FinalizersFlag{}, "finalizers", analyzer.FinalizersUsage)
	fs.StringVar(&opts.format, "format", "text", "output format: text, json or sarif (SARIF 2.1.0, for code scanning), on standard output")
	opts.json = fs.Bool("json", false, "emit JSON output (same as -format=json)")
	fs.BoolVar(&opts.tests, "test", true, "also analyse test packages")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated build tags, as go build -tags")
	fs.BoolVar(&opts.verbose, "v", false, "verbose: say what was skipped and why")
	fs.BoolVar(&opts.modular, "modular", false, "analyse package by package with facts, as go vet does, instead of over the whole program")
	fs.BoolVar(&opts.fix, "fix", false, "apply the suggested fixes to the files")
	fs.BoolVar(&opts.diff, "diff", false, "print the suggested fixes as a unified diff instead of applying them")
	fs.StringVar(&opts.baseline, "baseline", "", "report only the findings that are not in this file (written by -write-baseline)")
	fs.StringVar(&opts.writeBaseline, "write-baseline", "", "record the current findings in this file and report nothing")
	fs.StringVar(&opts.cpuprofile, "cpuprofile", "", "write a CPU profile to this file")
	fs.StringVar(&opts.memprofile, "memprofile", "", "write a memory profile to this file")
	for _, a := range passes.All() {
		opts.enabled[a.Name] = fs.Bool(a.Name, false, "run only the "+a.Name+" pass (and the others enabled this way)")
	}
	return fs
}

// parseFlags parses the standalone driver's flags. For -h it returns
// flag.ErrHelp.
func parseFlags(args []string) (*options, []string, error) {
	opts := &options{enabled: map[string]*bool{}}
	fs := newFlags(opts)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if *opts.json {
		if set(fs, "format") && opts.format != "json" {
			return nil, nil, fmt.Errorf("-json and -format=%s ask for two formats: give one", opts.format)
		}
		opts.format = "json"
	}
	switch opts.format {
	case "text", "json", "sarif":
	default:
		return nil, nil, fmt.Errorf("-format=%s: want text, json or sarif", opts.format)
	}
	if opts.baseline != "" && opts.writeBaseline != "" {
		return nil, nil, errors.New("-baseline and -write-baseline: give one")
	}
	if opts.writeBaseline != "" && (opts.fix || opts.diff) {
		return nil, nil, errors.New("-write-baseline records the findings; it does not apply fixes (-fix, -diff)")
	}
	return opts, fs.Args(), nil
}

// set reports whether the flag called name was given.
func set(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			found = true
		}
	})
	return found
}

// selected returns the passes to run: those enabled by name, or all.
func (o *options) selected() []*analysis.Analyzer {
	var some []*analysis.Analyzer
	for _, a := range passes.All() {
		if *o.enabled[a.Name] {
			some = append(some, a)
		}
	}
	if len(some) == 0 {
		return passes.All()
	}
	return some
}
