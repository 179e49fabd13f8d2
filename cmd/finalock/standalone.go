package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"slices"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// standalone runs finalock on the packages that args name, prints the
// findings on stdout and errors on stderr, and returns the exit code.
func standalone(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "help" {
		return help(stdout, stderr, args[1:])
	}
	opts, patterns, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout, newFlags(&options{enabled: map[string]*bool{}}))
		return exitClean
	}
	if err != nil {
		fmt.Fprintf(stderr, "finalock: %v\nrun 'finalock -h' for usage\n", err)
		return exitUsage
	}
	if len(patterns) == 0 {
		fmt.Fprintf(stderr, "finalock: no packages: finalock [flags] packages... (run 'finalock -h' for usage)\n")
		return exitUsage
	}
	if opts.cpuprofile != "" {
		f, err := os.Create(opts.cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "finalock: %v\n", err)
			return exitError
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err == nil {
			defer pprof.StopCPUProfile()
		}
	}
	rep := analyse(opts, patterns, stderr)
	if opts.memprofile != "" {
		if f, err := os.Create(opts.memprofile); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	for _, f := range rep.failures {
		fmt.Fprintf(stderr, "finalock: %s\n", f)
	}
	code := exitClean
	if len(rep.failures) > 0 {
		code = exitError
	}
	if c := finish(opts, rep, stdout, stderr); c != exitClean && code == exitClean {
		code = c
	}
	return code
}

// finish does what the flags ask with the findings: record a baseline,
// drop the findings a baseline has, apply or show fixes, print them. It
// returns exitFindings when findings are reported, exitError when it
// fails.
func finish(opts *options, rep *report, stdout, stderr io.Writer) int {
	if opts.writeBaseline != "" {
		if err := writeBaseline(opts.writeBaseline, rep.findings); err != nil {
			fmt.Fprintf(stderr, "finalock: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stderr, "finalock: recorded %s in %s\n", count(len(rep.findings), "finding"), opts.writeBaseline)
		return exitClean
	}
	if opts.baseline != "" {
		b, err := readBaseline(opts.baseline)
		if err != nil {
			fmt.Fprintf(stderr, "finalock: %v\n", err)
			return exitError
		}
		unused := b.filter(rep)
		if opts.verbose {
			for _, id := range unused {
				fmt.Fprintf(stderr, "finalock: note: baseline entry matches no finding: %s\n", id)
			}
		}
	}
	if opts.diff {
		problems, err := writeDiff(stdout, rep.findings, rep.cwd)
		for _, p := range problems {
			fmt.Fprintf(stderr, "finalock: %s\n", p)
		}
		if err != nil {
			fmt.Fprintf(stderr, "finalock: %v\n", err)
			return exitError
		}
		return findingsCode(rep)
	}
	if opts.fix {
		fixed, files, problems := applyFixes(rep.findings)
		for _, p := range problems {
			fmt.Fprintf(stderr, "finalock: %s\n", p)
		}
		if len(fixed) > 0 {
			fmt.Fprintf(stderr, "finalock: fixed %s in %s\n", count(len(fixed), "finding"), count(files, "file"))
		}
		rep.drop(fixed)
	}
	if err := rep.write(stdout, opts.format); err != nil {
		fmt.Fprintf(stderr, "finalock: %v\n", err)
		return exitError
	}
	return findingsCode(rep)
}

// count says how many things there are: "1 finding", "2 findings".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// findingsCode is the exit code for the findings left to report.
func findingsCode(rep *report) int {
	if len(rep.findings) > 0 {
		return exitFindings
	}
	return exitClean
}

// analyse loads and analyses the packages. A package that cannot be
// loaded or type-checked gets one failure; the others are analysed all
// the same.
func analyse(opts *options, patterns []string, notes io.Writer) *report {
	rep := &report{}
	rep.cwd, _ = os.Getwd()
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule | packages.NeedForTest, Tests: opts.tests}
	if opts.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + opts.tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		rep.failures = loadFailures(err)
		return rep
	}
	if len(pkgs) == 0 {
		fmt.Fprintf(notes, "finalock: warning: %s matched no packages\n", strings.Join(patterns, " "))
	}
	for _, p := range pkgs {
		if p.Module != nil && p.Module.Main && p.Module.Dir != "" {
			rep.moduleRoot = p.Module.Dir
			break
		}
	}
	if rep.moduleRoot == "" {
		rep.moduleRoot = rep.cwd
	}
	var good []*packages.Package
	rep.failures, good = packageFailures(pkgs, rep.cwd)
	if len(good) == 0 {
		return rep
	}
	roots := opts.selected()
	if opts.verbose {
		// The checker keeps the results of root analyzers only: the
		// engine's notes need its actions among the roots.
		roots = append(roots, analyzer.Analyzer)
	}
	graph, err := analyseGraph(opts, roots, good, notes)
	if err != nil {
		rep.failures = append(rep.failures, failure{Message: err.Error()})
		return rep
	}
	var lines []string
	for act := range graph.All() {
		if act.Err != nil && act.IsRoot && !strings.HasPrefix(act.Err.Error(), "failed prerequisites") {
			rep.failures = append(rep.failures, failure{Package: act.Package.PkgPath, Message: act.Err.Error()})
		}
		if opts.verbose && act.IsRoot && act.Analyzer == analyzer.Analyzer {
			if res, ok := act.Result.(*analyzer.Result); ok && res != nil {
				for _, n := range res.Notes() {
					lines = append(lines, fmt.Sprintf("finalock: %s: note: %s\n", act.Package.PkgPath, n))
				}
			}
		}
	}
	slices.Sort(lines)
	for _, l := range slices.Compact(lines) {
		fmt.Fprint(notes, l)
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
	return rep
}

// analyseGraph runs the analyzers on the packages: over the whole program
// (one call graph of every loaded package, see analyzer.Program), or with
// -modular package by package, as go vet does.
func analyseGraph(opts *options, roots []*analysis.Analyzer, good []*packages.Package, notes io.Writer) (*checker.Graph, error) {
	if !opts.modular {
		if p := analyzer.NewProgram(good); p != nil {
			graph, err := p.Analyze(roots, good)
			if opts.verbose {
				again, all := p.Again()
				fmt.Fprintf(notes, "finalock: note: whole program: %d of %d packages analysed again for calls into packages analysed after them\n", again, all)
			}
			return graph, err
		}
		if opts.verbose {
			fmt.Fprintf(notes, "finalock: note: the whole program could not be built; analysing package by package\n")
		}
	}
	return checker.Analyze(roots, good, nil)
}
