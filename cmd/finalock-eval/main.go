// Command finalock-eval scores finalock against a labelled corpus of real
// modules.
//
// Usage:
//
//	finalock-eval [flags] corpus.tsv
//
// The corpus is a tab-separated file with one header row naming the columns
// id, module, version, file, line, func, pass, rule, expect, expect_sync,
// goos, tags, chain and judgment. Each row is a place in a public module
// (file and line inside module at version) where a pass of finalock, and
// optionally one of its rules, must report ("report"), must stay silent
// ("clean"), or is not scored ("skip"): expect under the default
// -finalizers=goroutine, expect_sync under -finalizers=inline. goos and
// tags are the GOOS (empty: linux) and the comma-separated build tags to
// analyse the package with; the other columns are carried into the report.
//
// For each module@version, finalock-eval makes a scratch module in the work
// directory that requires it, then runs finalock standalone
// (-format=json -test=false) on the package that holds each row's file,
// with the row's GOOS and build tags, once per setting. Results are cached
// on disk per finalock binary, module, package, GOOS, tags and setting.
//
// A row is scored on the top-level declaration of its file that contains
// its line: "report" is found when at least one diagnostic of the row's
// pass (and rule, the diagnostic's category, when the row names one) lies
// inside it; "clean" holds when none does. A package that cannot be loaded
// makes its rows "error", with finalock's first error line.
//
// The output is a markdown report: the command, the date, a table of
// TP/FP/FN/TN with precision and recall per pass and rule for each
// setting, and one line per case with the diagnostics found. finalock-eval
// exits 0 whatever the score, and 2 on a usage error or a corpus it cannot
// read.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// config holds the command's flags.
type config struct {
	finalock string
	repo     string
	work     string
	out      string
	only     string
	jobs     int
	timeout  time.Duration
	strict   bool
}

func run(args []string) int {
	var cfg config
	home, _ := os.UserHomeDir()
	fs := flag.NewFlagSet("finalock-eval", flag.ContinueOnError)
	fs.StringVar(&cfg.finalock, "finalock", "", "finalock binary to evaluate (default: build ./cmd/finalock of -repo)")
	fs.StringVar(&cfg.repo, "repo", ".", "finalock repository to build the binary from when -finalock is not given")
	fs.StringVar(&cfg.work, "work", filepath.Join(home, ".cache", "finalock-eval"), "directory for scratch modules and cached results")
	fs.StringVar(&cfg.out, "o", "", "write the report to this file (default: standard output)")
	fs.StringVar(&cfg.only, "run", "", "score only the cases whose id matches this regular expression")
	fs.IntVar(&cfg.jobs, "j", 2, "finalock runs at once")
	fs.DurationVar(&cfg.timeout, "timeout", 20*time.Minute, "time limit of one finalock run")
	fs.BoolVar(&cfg.strict, "strict", false, "exit 1 when a scored case misses or cannot be analysed (for CI)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: finalock-eval [flags] corpus.tsv\n\nScores finalock against a labelled corpus of real modules and prints a markdown report.\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || cfg.jobs < 1 {
		fs.Usage()
		return 2
	}
	corpus := fs.Arg(0)
	f, err := os.Open(corpus)
	if err != nil {
		fmt.Fprintf(os.Stderr, "finalock-eval: %v\n", err)
		return 2
	}
	cases, err := parseCorpus(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(os.Stderr, "finalock-eval: %s: %v\n", corpus, err)
		return 2
	}
	if cfg.only != "" {
		re, err := regexp.Compile(cfg.only)
		if err != nil {
			fmt.Fprintf(os.Stderr, "finalock-eval: -run: %v\n", err)
			return 2
		}
		var some []*labelledCase
		for _, c := range cases {
			if re.MatchString(c.ID) {
				some = append(some, c)
			}
		}
		cases = some
	}
	if cfg.work, err = filepath.Abs(cfg.work); err != nil {
		fmt.Fprintf(os.Stderr, "finalock-eval: %v\n", err)
		return 2
	}
	bin := cfg.finalock
	if bin == "" {
		if bin, err = buildFinalock(cfg.repo, filepath.Join(cfg.work, "bin")); err != nil {
			fmt.Fprintf(os.Stderr, "finalock-eval: %v\n", err)
			return 2
		}
	}
	if bin, err = filepath.Abs(bin); err != nil {
		fmt.Fprintf(os.Stderr, "finalock-eval: %v\n", err)
		return 2
	}
	r, err := newRunner(bin, cfg.work, cfg.timeout, os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "finalock-eval: %v\n", err)
		return 2
	}
	start := time.Now()
	scored := evaluate(r, cases, cfg.jobs)
	rep := &markdown{
		command: "finalock-eval " + strings.Join(args, " "),
		date:    start,
		took:    time.Since(start),
		corpus:  corpus,
		binary:  bin,
		digest:  r.digest,
		cases:   scored,
	}
	out := os.Stdout
	if cfg.out != "" {
		if out, err = os.Create(cfg.out); err != nil {
			fmt.Fprintf(os.Stderr, "finalock-eval: %v\n", err)
			return 2
		}
	}
	if err := rep.write(out); err != nil {
		fmt.Fprintf(os.Stderr, "finalock-eval: %v\n", err)
		return 2
	}
	if out != os.Stdout {
		if err := out.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "finalock-eval: %v\n", err)
			return 2
		}
	}
	if cfg.strict {
		if bad := misses(scored); len(bad) > 0 {
			fmt.Fprintf(os.Stderr, "finalock-eval: %d cases miss or fail: %s\n", len(bad), strings.Join(bad, ", "))
			return 1
		}
	}
	return 0
}

// misses lists, as "ID/setting", the scored cases that are false
// positives, false negatives or errors.
func misses(scored []*scoredCase) []string {
	var bad []string
	for _, c := range scored {
		for _, setting := range []string{settingGoroutine, settingInline} {
			if r := c.Results[setting]; r != nil && (r.Outcome == outFP || r.Outcome == outFN || r.Outcome == outError) {
				bad = append(bad, c.ID+"/"+setting)
			}
		}
	}
	return bad
}

// A scoredCase is a case with its outcome under each setting.
type scoredCase struct {
	*labelledCase
	Dir     string // the module's source directory
	Decl    declRange
	Results map[string]*caseResult // by setting
}

// A caseResult is a case's outcome under one setting.
type caseResult struct {
	Expect, Got, Outcome string
	Found                []finding // findings of any pass in the declaration
	Err                  string
}

// evaluate runs finalock for every distinct job of the cases, jobs at a
// time, and scores each case under each setting.
func evaluate(r *runner, cases []*labelledCase, jobs int) []*scoredCase {
	pkgs := map[string][]string{} // module@version → packages
	var todo []job
	seen := map[job]bool{}
	for _, c := range cases {
		mv := c.Module + "@" + c.Version
		if !slices.Contains(pkgs[mv], c.Package()) {
			pkgs[mv] = append(pkgs[mv], c.Package())
		}
		for _, s := range settings {
			j := jobOf(c, s)
			if !seen[j] {
				seen[j] = true
				todo = append(todo, j)
			}
		}
	}
	results := map[job]*result{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	queue := make(chan job)
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				m := r.module(j.Module, j.Version, pkgs[j.Module+"@"+j.Version])
				res := r.run(j, m)
				mu.Lock()
				results[j] = res
				mu.Unlock()
			}
		}()
	}
	for _, j := range todo {
		queue <- j
	}
	close(queue)
	wg.Wait()

	var out []*scoredCase
	for _, c := range cases {
		sc := &scoredCase{labelledCase: c, Results: map[string]*caseResult{}}
		m := r.module(c.Module, c.Version, nil)
		var declErr error
		sc.Dir = m.Dir
		if m.Err == "" {
			sc.Decl, declErr = enclosingDecl(filepath.Join(m.Dir, filepath.FromSlash(c.File)), c.Line)
		}
		for _, s := range settings {
			cr := &caseResult{Expect: c.Verdict(s)}
			sc.Results[s] = cr
			res := results[jobOf(c, s)]
			switch {
			case res.Err != "":
				cr.Err = res.Err
			case declErr != nil:
				cr.Err = declErr.Error()
			}
			if cr.Err != "" {
				cr.Outcome = outError
				continue
			}
			cr.Found = inDecl(res.Findings, filepath.Join(m.Dir, filepath.FromSlash(c.File)), sc.Decl)
			cr.Got, cr.Outcome = score(c, cr.Expect, cr.Found)
		}
		out = append(out, sc)
	}
	return out
}

// jobOf returns the finalock run that a case needs under a setting.
func jobOf(c *labelledCase, setting string) job {
	return job{Module: c.Module, Version: c.Version, Package: c.Package(), GOOS: c.Goos(), Tags: c.Tags, Setting: setting}
}
