package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// Exit codes of the standalone driver.
const (
	exitClean    = 0
	exitError    = 1
	exitFindings = 3
)

// options are the standalone driver's flags.
type options struct {
	format     string
	tests      bool
	verbose    bool
	cpuprofile string
	memprofile string
	enabled    map[string]*bool
}

func parseFlags(args []string) (*options, []string, error) {
	opts := &options{enabled: map[string]*bool{}}
	fs := flag.CommandLine
	fs.StringVar(&opts.format, "format", "text", "output format: text, json or sarif (SARIF 2.1.0, for code scanning)")
	json := fs.Bool("json", false, "emit JSON output (same as -format=json)")
	fs.BoolVar(&opts.tests, "test", true, "also analyse test packages")
	fs.BoolVar(&opts.verbose, "v", false, "verbose: say what was skipped and why")
	fs.StringVar(&opts.cpuprofile, "cpuprofile", "", "write a CPU profile to this file")
	fs.StringVar(&opts.memprofile, "memprofile", "", "write a memory profile to this file")
	for _, a := range passes.All() {
		opts.enabled[a.Name] = fs.Bool(a.Name, false, "run only the "+a.Name+" pass (and the others enabled this way)")
	}
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "finalock reports what can hang or leak in finalizers, cleanups, signal handlers and forked children.\n\n")
		fmt.Fprintf(out, "usage: finalock [flags] packages...\n       go vet -vettool=$(which finalock) [flags] packages...\n\npasses:\n")
		for _, a := range passes.All() {
			title, _, _ := strings.Cut(a.Doc, "\n\n")
			fmt.Fprintf(out, "  %s\n", strings.ReplaceAll(title, "\n", " "))
		}
		fmt.Fprintf(out, "\nexit status: 0 nothing found, 3 findings reported, 1 a package could not be analysed\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if *json {
		opts.format = "json"
	}
	switch opts.format {
	case "text", "json", "sarif":
	default:
		return nil, nil, fmt.Errorf("-format=%s: want text, json or sarif", opts.format)
	}
	return opts, fs.Args(), nil
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

// standalone loads the packages named by args, analyses those that load,
// prints the findings and returns the exit code.
func standalone(args []string) int {
	opts, patterns, err := parseFlags(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "finalock: %v\n", err)
		return 2
	}
	if len(patterns) == 0 {
		flag.Usage()
		return 2
	}
	if opts.cpuprofile != "" {
		f, err := os.Create(opts.cpuprofile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "finalock: %v\n", err)
			return exitError
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err == nil {
			defer pprof.StopCPUProfile()
		}
	}
	report, code := analyse(opts, patterns, os.Stderr)
	if opts.memprofile != "" {
		if f, err := os.Create(opts.memprofile); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	var out io.Writer = os.Stdout
	if opts.format == "text" {
		out = os.Stderr
	}
	if err := report.write(out, opts.format); err != nil {
		fmt.Fprintf(os.Stderr, "finalock: %v\n", err)
		return exitError
	}
	if code == exitClean && len(report.findings) > 0 {
		code = exitFindings
	}
	return code
}

// analyse loads and analyses the packages. Packages that cannot be loaded
// or type-checked get one error line each on errs; the others are
// analysed all the same.
func analyse(opts *options, patterns []string, errs io.Writer) (*report, int) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule | packages.NeedForTest, Tests: opts.tests}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(errs, "finalock: %v\n", err)
		return &report{}, exitError
	}
	code := exitClean
	rep := &report{}
	for _, p := range pkgs {
		if p.Module != nil && p.Module.Main && p.Module.Dir != "" {
			rep.root = p.Module.Dir
			break
		}
	}
	if rep.root == "" {
		rep.root, _ = os.Getwd()
	}
	var good []*packages.Package
	for _, p := range pkgs {
		if msg := loadError(p); msg != "" {
			fmt.Fprintf(errs, "finalock: %s: %s\n", p.PkgPath, msg)
			code = exitError
			continue
		}
		good = append(good, p)
	}
	if len(good) == 0 {
		return rep, code
	}
	graph, err := checker.Analyze(opts.selected(), good, nil)
	if err != nil {
		fmt.Fprintf(errs, "finalock: %v\n", err)
		return rep, exitError
	}
	for act := range graph.All() {
		if act.Err != nil && act.IsRoot && !strings.HasPrefix(act.Err.Error(), "failed prerequisites") {
			fmt.Fprintf(errs, "finalock: %s: %v\n", act.Package.PkgPath, act.Err)
			code = exitError
		}
		if opts.verbose && act.Analyzer == analyzer.Analyzer {
			if res, ok := act.Result.(*analyzer.Result); ok && res != nil {
				for _, n := range res.Notes() {
					fmt.Fprintf(errs, "finalock: %s: note: %s\n", act.Package.PkgPath, n)
				}
			}
		}
	}
	// A package with tests in its own directory is reported once, as its
	// test variant, which holds every file of the package and more: so
	// does go vet, and a finding whose message differs between the two
	// (it counts what the tests add) is not printed twice.
	tested := map[string]bool{}
	for _, p := range good {
		if p.ForTest != "" && p.ForTest == p.PkgPath {
			tested[p.PkgPath] = true
		}
	}
	for _, act := range graph.Roots {
		if act.Package.ForTest == "" && tested[act.Package.PkgPath] {
			continue
		}
		for _, d := range act.Diagnostics {
			rep.add(act, d)
		}
	}
	rep.sort()
	return rep, code
}

// loadError returns the first error of a package that did not load or
// type-check, with a count of the others, or "".
func loadError(p *packages.Package) string {
	if len(p.Errors) == 0 && !p.IllTyped {
		return ""
	}
	if len(p.Errors) == 0 {
		return "does not type-check"
	}
	msg := p.Errors[0].Error()
	if n := len(p.Errors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more errors)", n)
	}
	return msg
}
