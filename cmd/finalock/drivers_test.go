package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
)

// gclEnv names the golangci-lint with the finalock plugin built in that
// TestDrivers runs: a path, or "build" to build one from gclWrapper first.
const gclEnv = "FINALOCK_GCL"

// golangciDir holds the golangci-lint configuration of the driver test and,
// in gcl/, the module that builds golangci-lint with the finalock plugin.
var golangciDir = filepath.Join("..", "..", "testdata", "src", "golangci")

// A ruled finding is what every driver must agree on: where a finding is
// and which rule it belongs to.
type ruled struct {
	file string
	line int
	rule string
}

func (r ruled) String() string { return fmt.Sprintf("%s:%d [%s]", r.file, r.line, r.rule) }

// Rules given to findings that no want explains, or that wants of several
// rules explain: they never equal a real rule, so the comparison fails.
const (
	ruleUnmatched = "(matches no want)"
	ruleAmbiguous = "(matches wants of several rules)"
)

// wantRules gives each want the rule of the reference finding it matches.
// The reference is the standalone driver's JSON, which carries the rule (the
// diagnostic's category). A want that matches findings of no rule, or of
// several, is a problem: drivers that print no rule could not be compared.
func wantRules(wants []want, ref []ruledMessage) ([]string, []string) {
	rules := make([]string, len(wants))
	var problems []string
	for i, w := range wants {
		var found []string
		for _, f := range ref {
			if f.file == w.file && f.line == w.line && w.re.MatchString(f.message) && !slices.Contains(found, f.rule) {
				found = append(found, f.rule)
			}
		}
		if len(found) != 1 {
			problems = append(problems, fmt.Sprintf("%s:%d: want %q matches reference findings of %d rules %v, want 1", w.file, w.line, w.re, len(found), found))
			continue
		}
		rules[i] = found[0]
	}
	return rules, problems
}

// ruleByWants gives a finding printed without its rule (go vet's text) the
// rule of the wants on its line that its message matches.
func ruleByWants(wants []want, rules []string, f printed) string {
	rule := ""
	for i, w := range wants {
		if w.file != f.file || w.line != f.line || !w.re.MatchString(f.message) || rules[i] == "" {
			continue
		}
		if rule != "" && rule != rules[i] {
			return ruleAmbiguous
		}
		rule = rules[i]
	}
	if rule == "" {
		return ruleUnmatched
	}
	return rule
}

// A ruledMessage is a finding with its rule, the pass that reported it and
// its message.
type ruledMessage struct {
	ruled
	analyzer, message string
}

func printedOf(fs []ruledMessage) []printed {
	var out []printed
	for _, f := range fs {
		out = append(out, printed{f.file, f.line, f.message, analyzer.RuleID(f.analyzer, f.rule)})
	}
	return out
}

func ruledOf(fs []ruledMessage) []ruled {
	var out []ruled
	for _, f := range fs {
		out = append(out, f.ruled)
	}
	return out
}

// diffRuled compares two lists of findings as multisets and describes every
// finding that one has more often than the other.
func diffRuled(ref, got []ruled) []string {
	count := map[ruled]int{}
	for _, f := range ref {
		count[f]++
	}
	for _, f := range got {
		count[f]--
	}
	keys := make([]ruled, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b ruled) int { return strings.Compare(a.String(), b.String()) })
	var problems []string
	for _, k := range keys {
		switch n := count[k]; {
		case n > 0:
			problems = append(problems, fmt.Sprintf("missing %s (%d times)", k, n))
		case n < 0:
			problems = append(problems, fmt.Sprintf("extra %s (%d times)", k, -n))
		}
	}
	return problems
}

// sameFindings requires a driver to report exactly the reference's
// findings: same files, lines and rules, as often.
func sameFindings(t *testing.T, driver string, ref []ruledMessage, got []ruled) {
	t.Helper()
	if len(ref) == 0 {
		t.Fatalf("%s: the reference run found nothing to compare", driver)
	}
	for _, p := range diffRuled(ruledOf(ref), got) {
		t.Errorf("%s, compared with finalock -format=json: %s", driver, p)
	}
}

// standaloneJSON runs the standalone driver with -format=json: the reference
// every other driver is compared with.
func standaloneJSON(t *testing.T, bin, dir string, flags ...string) []ruledMessage {
	t.Helper()
	out, code := run(t, dir, bin, append(append([]string{"-format=json"}, flags...), "./...")...)
	if code != exitFindings {
		t.Fatalf("finalock -format=json %s: exit %d, want %d\n%s", strings.Join(flags, " "), code, exitFindings, out)
	}
	var list []struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Analyzer string `json:"analyzer"`
		Category string `json:"category"`
		Message  string `json:"message"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("finalock -format=json: %v\n%s", err, out)
	}
	var fs []ruledMessage
	for _, d := range list {
		if d.Category == "" || d.Analyzer == "" {
			t.Errorf("%s:%d: finding without an analyzer or a category: %s", d.File, d.Line, d.Message)
		}
		fs = append(fs, ruledMessage{ruled{relTo(t, dir, d.File), d.Line, d.Category}, d.Analyzer, d.Message})
	}
	return fs
}

// standaloneSARIF runs the standalone driver with -format=sarif and reads
// rule ids, files relative to the module root and start lines.
func standaloneSARIF(t *testing.T, bin, dir string) []ruledMessage {
	t.Helper()
	out, code := run(t, dir, bin, "-format=sarif", "./...")
	if code != exitFindings {
		t.Fatalf("finalock -format=sarif: exit %d, want %d\n%s", code, exitFindings, out)
	}
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatalf("finalock -format=sarif: %v\n%s", err, out)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("finalock -format=sarif: version %q with %d runs, want 2.1.0 with 1", log.Version, len(log.Runs))
	}
	var fs []ruledMessage
	for _, res := range log.Runs[0].Results {
		if len(res.Locations) == 0 {
			t.Errorf("SARIF result %s without a location: %s", res.RuleID, res.Message.Text)
			continue
		}
		loc := res.Locations[0].PhysicalLocation
		if loc == nil || loc.Region == nil {
			t.Errorf("SARIF result %s without a file and line: %s", res.RuleID, res.Message.Text)
			continue
		}
		u, err := url.Parse(loc.ArtifactLocation.URI)
		if err != nil || u.Scheme != "" || filepath.IsAbs(u.Path) || loc.ArtifactLocation.URIBaseID != srcRoot {
			t.Errorf("SARIF result %s: URI %q is not relative to %s", res.RuleID, loc.ArtifactLocation.URI, srcRoot)
			continue
		}
		base, err := url.Parse(log.Runs[0].OriginalURIBaseIDs[srcRoot].URI)
		if err != nil || base.Scheme != "file" {
			t.Fatalf("SARIF %s: %q is not a file URI", srcRoot, log.Runs[0].OriginalURIBaseIDs[srcRoot].URI)
		}
		file := filepath.Join(filepath.FromSlash(base.Path), filepath.FromSlash(u.Path))
		fs = append(fs, ruledMessage{ruled{relTo(t, dir, file), loc.Region.StartLine, res.RuleID}, "", res.Message.Text})
	}
	return fs
}

// A gclIssue is a finding as golangci-lint prints it: the pass, then the
// message, which ends with the pass and the rule, under the linter name
// finalock. message is without that end.
type gclIssue struct {
	file, analyzer, message, rule string
	line                          int
}

// runGolangciLint runs golangci-lint on the module in dir with the
// configuration in cfg and returns its JSON findings and its warnings.
func runGolangciLint(t *testing.T, gcl, cfg, dir string) ([]gclIssue, string) {
	t.Helper()
	outFile := filepath.Join(t.TempDir(), "issues.json")
	out, code := run(t, dir, gcl, "run", "-c", cfg, "--output.json.path", outFile, "--show-stats=false", "./...")
	data, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatalf("golangci-lint run (exit %d): %v\n%s", code, err, out)
	}
	var report struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename string
				Line     int
			}
		}
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("golangci-lint JSON: %v\n%s", err, data)
	}
	if want := min(len(report.Issues), 1); code != want {
		t.Errorf("golangci-lint: exit %d with %d issues, want %d\n%s", code, len(report.Issues), want, out)
	}
	var issues []gclIssue
	for _, is := range report.Issues {
		if is.FromLinter != "finalock" {
			t.Errorf("golangci-lint: %s:%d: issue from linter %q, want finalock: %s", is.Pos.Filename, is.Pos.Line, is.FromLinter, is.Text)
			continue
		}
		pass, text, _ := strings.Cut(is.Text, ": ")
		message, suffixPass, rule, ok := analyzer.CutRuleSuffix(text)
		if !ok || suffixPass != pass {
			t.Errorf("golangci-lint: %s:%d: the text does not end with the rule of pass %s: %s", is.Pos.Filename, is.Pos.Line, pass, is.Text)
		}
		issues = append(issues, gclIssue{relTo(t, dir, is.Pos.Filename), pass, message, rule, is.Pos.Line})
	}
	return issues, string(out)
}

// ruleByMessage gives each golangci-lint issue the rule of the reference
// finding with the same place, pass and message.
func ruleByMessage(ref []ruledMessage, issues []gclIssue) []ruled {
	var got []ruled
	for _, is := range issues {
		rule := ruleUnmatched
		for _, f := range ref {
			if f.file == is.file && f.line == is.line && f.analyzer == is.analyzer && f.message == is.message && f.rule == is.rule {
				rule = f.rule
				break
			}
		}
		got = append(got, ruled{is.file, is.line, rule})
	}
	return got
}

// golangciLint returns the golangci-lint to test, named by FINALOCK_GCL.
func golangciLint(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs golangci-lint")
	}
	v := needInput(t, gclEnv, "set it to a golangci-lint built from testdata/src/golangci/gcl "+
		"((cd testdata/src/golangci/gcl && go build -o /tmp/finalock-gcl .), as .ci/run does), or to \"build\" to build one for this run")
	switch {
	case v == "build":
		return buildGolangciLint(t)
	case !filepath.IsAbs(v):
		t.Fatalf("%s=%s: want an absolute path, or build", gclEnv, v)
	}
	if _, err := os.Stat(v); err != nil {
		t.Fatalf("%s: %v", gclEnv, err)
	}
	return v
}

// buildGolangciLint builds golangci-lint with the finalock plugin from the
// module in testdata/src/golangci/gcl, at the versions its go.sum pins and
// with finalock from this checkout. It takes minutes when the build cache
// is cold.
func buildGolangciLint(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "finalock-gcl")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(golangciDir, "gcl")
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly -buildvcs=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building golangci-lint with finalock: %v\n%s", err, out)
	}
	return bin
}

// golangciConfig returns the path of the driver test's .golangci.yml, or of
// a copy with the finalock settings replaced by settings.
func golangciConfig(t *testing.T, settings string) string {
	t.Helper()
	cfg, err := filepath.Abs(filepath.Join(golangciDir, ".golangci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if settings == "" {
		return cfg
	}
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	const def = "finalizers: goroutine"
	if !strings.Contains(string(data), def) {
		t.Fatalf("%s does not set %q", cfg, def)
	}
	copied := filepath.Join(t.TempDir(), ".golangci.yml")
	if err := os.WriteFile(copied, []byte(strings.Replace(string(data), def, settings, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return copied
}

// TestDrivers runs testdata/src/vetmod through go vet -vettool, the
// standalone driver in its modular mode (text, JSON and SARIF) and
// golangci-lint with the finalock plugin, and requires the same findings —
// file, line and rule — from all of them (TestWholeProgram compares the
// whole-program mode with the modular one). The standalone JSON is the reference: it carries each
// finding's rule. Drivers that print no rule get the rule of the want their
// message matches, so a finding of the wrong rule, a lost finding or an
// extra one fails the comparison.
func TestDrivers(t *testing.T) {
	gcl := golangciLint(t)
	t.Setenv("GOLANGCI_LINT_CACHE", t.TempDir())
	bin := buildFinalock(t)
	wants := readWants(t, vetmod)

	ref := standaloneJSON(t, bin, vetmod, "-modular")
	check(t, "finalock -format=json", wants, printedOf(ref))
	rules, problems := wantRules(wants, ref)
	for _, p := range problems {
		t.Error(p)
	}
	if t.Failed() {
		t.FailNow()
	}
	analyzerOf := map[string]string{}
	for _, f := range ref {
		analyzerOf[f.rule] = f.analyzer
	}

	byWants := func(t *testing.T, driver string, fs []printed) []ruled {
		t.Helper()
		check(t, driver, wants, fs)
		var got []ruled
		for _, f := range fs {
			rule := ruleByWants(wants, rules, f)
			if want := analyzer.RuleID(analyzerOf[rule], rule); f.rule != want {
				t.Errorf("%s: %s:%d: the message ends with the rule %q, want %q: %s", driver, f.file, f.line, f.rule, want, f.message)
			}
			got = append(got, ruled{f.file, f.line, rule})
		}
		return got
	}

	t.Run("vet", func(t *testing.T) {
		out, code := run(t, vetmod, "go", "vet", "-vettool="+bin, "./...")
		if code != 1 {
			t.Errorf("go vet: exit %d, want 1\n%s", code, out)
		}
		sameFindings(t, "go vet", ref, byWants(t, "go vet", parseText(t, vetmod, out)))
	})

	t.Run("text", func(t *testing.T) {
		out, code := run(t, vetmod, bin, "-modular", "./...")
		if code != exitFindings {
			t.Errorf("finalock: exit %d, want %d\n%s", code, exitFindings, out)
		}
		sameFindings(t, "finalock", ref, byWants(t, "finalock", parseText(t, vetmod, out)))
	})

	t.Run("sarif", func(t *testing.T) {
		fs := standaloneSARIF(t, bin, vetmod)
		check(t, "finalock -format=sarif", wants, printedOf(fs))
		sameFindings(t, "finalock -format=sarif", ref, ruledOf(fs))
	})

	t.Run("golangci-lint", func(t *testing.T) {
		issues, log := runGolangciLint(t, gcl, golangciConfig(t, ""), vetmod)
		if strings.Contains(log, "level=warning") || strings.Contains(log, "level=error") {
			t.Errorf("golangci-lint warned:\n%s", log)
		}
		var fs []printed
		for _, is := range issues {
			fs = append(fs, newPrinted(is.file, is.line, is.message+analyzer.RuleSuffix(is.analyzer, is.rule)))
		}
		got := byWants(t, "golangci-lint", fs)
		for i, is := range issues {
			if want := analyzerOf[got[i].rule]; is.analyzer != want {
				t.Errorf("golangci-lint: %s: reported by %q, want %q", got[i], is.analyzer, want)
			}
		}
		sameFindings(t, "golangci-lint", ref, got)
	})

	// The plugin's settings reach the suite: under finalizers=inline every
	// lock a finalizer takes is reported, and golangci-lint reports what
	// the standalone driver does with -finalizers=inline. No wants describe
	// this run, so each finding is matched with the reference's by its
	// analyzer and exact message to get its rule.
	t.Run("golangci-lint-inline", func(t *testing.T) {
		inline := standaloneJSON(t, bin, vetmod, "-finalizers=inline")
		if len(diffRuled(ruledOf(ref), ruledOf(inline))) == 0 {
			t.Fatal("-finalizers=inline changes nothing on the module: the run cannot show that the setting reaches the plugin")
		}
		issues, _ := runGolangciLint(t, gcl, golangciConfig(t, "finalizers: inline"), vetmod)
		for _, p := range diffRuled(ruledOf(inline), ruleByMessage(inline, issues)) {
			t.Errorf("golangci-lint with finalizers: inline, compared with finalock -finalizers=inline -format=json: %s", p)
		}
	})

	t.Run("golangci-lint-bad-settings", func(t *testing.T) {
		out, code := run(t, vetmod, gcl, "run", "-c", golangciConfig(t, "finalizer: inline"), "./...")
		if code == 0 || code == 1 || !strings.Contains(string(out), `unknown key "finalizer"`) {
			t.Errorf("golangci-lint with an unknown finalock setting: exit %d, want an error naming the key\n%s", code, out)
		}
	})

	t.Run("golangci-lint-nolint", func(t *testing.T) {
		testNolint(t, gcl, bin, ref)
	})

	// One pass's findings can be excluded by their text, which starts with
	// the pass's name, and one rule's by the rule that ends it.
	t.Run("golangci-lint-exclusion", func(t *testing.T) {
		var noBlocking, otherPasses []ruled
		for _, f := range ref {
			if f.rule != "blocking" {
				noBlocking = append(noBlocking, f.ruled)
			}
			if f.analyzer != "lockinfinalizer" {
				otherPasses = append(otherPasses, f.ruled)
			}
		}
		if len(noBlocking) == 0 || len(noBlocking) == len(ref) {
			t.Fatal("the module needs findings of the blocking rule and of others")
		}
		for _, tc := range []struct {
			text string
			want []ruled
		}{
			{`^lockinfinalizer: `, otherPasses},
			{`^allocunderlock: `, ruledOf(ref)},
			{`\\(lockinfinalizer/blocking\\)$`, noBlocking},
		} {
			text, want := tc.text, tc.want
			cfg := filepath.Join(t.TempDir(), ".golangci.yml")
			yml := `version: "2"
run: {relative-path-mode: gomod}
linters:
  default: none
  enable: [finalock]
  settings: {custom: {finalock: {type: module}}}
  exclusions:
    rules:
      - linters: [finalock]
        text: "` + text + `"
issues: {uniq-by-line: false, max-issues-per-linter: 0, max-same-issues: 0}
`
			if err := os.WriteFile(cfg, []byte(yml), 0o644); err != nil {
				t.Fatal(err)
			}
			issues, _ := runGolangciLint(t, gcl, cfg, vetmod)
			for _, p := range diffRuled(want, ruleByMessage(ref, issues)) {
				t.Errorf("golangci-lint excluding %s: %s", text, p)
			}
		}
	})
}

// testNolint checks which suppressions golangci-lint honours for finalock:
// //nolint:finalock (the linter name) does, //nolint:<pass> does not (the
// pass is no linter of golangci-lint's, which warns about it), and
// finalock's own //finalock:ignore <rule> does, rule by rule.
func testNolint(t *testing.T, gcl, bin string, ref []ruledMessage) {
	dir := t.TempDir()
	edits := []struct{ line, directive string }{
		{"runtime.SetFinalizer(cur, (*Cursor).finalize)", "//nolint:finalock"},
		{"b.Track(cur, func(c *Cursor) { c.cl.CloseCursor() })", "//nolint:lockinfinalizer"},
		{"runtime.SetFinalizer(cur, func(c *Cursor) { c.cl.Return(1) })", "//finalock:ignore blocking the pool is never short of connections"},
	}
	lineOf := map[string]int{}
	fileOf := map[string]string{}
	err := filepath.WalkDir(vetmod, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(vetmod, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		lines := strings.Split(string(data), "\n")
		for i, l := range lines {
			for _, e := range edits {
				if code, _, ok := strings.Cut(l, " // want"); ok && strings.TrimSpace(code) == e.line {
					lines[i] = code + " " + e.directive
					lineOf[e.directive] = i + 1
					fileOf[e.directive] = filepath.ToSlash(rel)
				}
			}
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, []byte(strings.Join(lines, "\n")), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(lineOf) != len(edits) {
		t.Fatalf("found %d of the %d lines to annotate in %s", len(lineOf), len(edits), vetmod)
	}

	// Expected: the reference findings less those on the //nolint:finalock
	// line and the blocking one under //finalock:ignore blocking.
	var want []ruled
	for _, f := range ref {
		at := func(directive string) bool {
			return f.line == lineOf[directive] && strings.HasSuffix(filepath.ToSlash(f.file), fileOf[directive])
		}
		if at("//nolint:finalock") || at(edits[2].directive) && f.rule == "blocking" {
			continue
		}
		want = append(want, f.ruled)
	}
	if len(want) == 0 || len(want) >= len(ref)-1 {
		t.Fatalf("the annotations should leave some of the %d findings and suppress at least two, leave %d", len(ref), len(want))
	}

	issues, log := runGolangciLint(t, gcl, golangciConfig(t, ""), dir)
	for _, p := range diffRuled(want, ruleByMessage(ref, issues)) {
		t.Errorf("golangci-lint with suppressions: %s", p)
	}
	if !strings.Contains(log, "Found unknown linters in //nolint directives: lockinfinalizer") {
		t.Errorf("golangci-lint did not warn that //nolint:lockinfinalizer names no linter:\n%s", log)
	}

	// The standalone driver ignores //nolint and honours //finalock:ignore.
	var standalone []ruled
	for _, f := range ref {
		if f.line == lineOf[edits[2].directive] && f.rule == "blocking" {
			continue
		}
		standalone = append(standalone, f.ruled)
	}
	for _, p := range diffRuled(standalone, ruledOf(standaloneJSON(t, bin, dir))) {
		t.Errorf("finalock with suppressions: %s", p)
	}
}

// TestDriverComparison checks that the comparison of TestDrivers fails
// when a driver loses a finding, reports an extra one, or reports one under
// another rule.
func TestDriverComparison(t *testing.T) {
	re := func(s string) want { return want{"a/a.go", 43, regexp.MustCompile(s)} }
	wants := []want{re("takes Pool.mu"), re("can wait without bound")}
	ref := []ruledMessage{
		{ruled{"a/a.go", 43, "cycle"}, "lockinfinalizer", "finalizer f takes Pool.mu, and only this finalizer completes it"},
		{ruled{"a/a.go", 43, "blocking"}, "lockinfinalizer", "finalizer f can wait without bound"},
	}
	rules, problems := wantRules(wants, ref)
	if len(problems) != 0 || rules[0] != "cycle" || rules[1] != "blocking" {
		t.Fatalf("wantRules = %v, %v", rules, problems)
	}
	ruleOf := func(msg string) ruled {
		f := printed{"a/a.go", 43, msg, ""}
		return ruled{f.file, f.line, ruleByWants(wants, rules, f)}
	}
	same := []ruled{ruleOf(ref[1].message), ruleOf(ref[0].message)}
	if p := diffRuled(ruledOf(ref), same); len(p) != 0 {
		t.Errorf("same findings in another order: %v", p)
	}
	for name, got := range map[string][]ruled{
		"lost":       {ruleOf(ref[0].message)},
		"extra":      {ruleOf(ref[0].message), ruleOf(ref[1].message), ruleOf("finalizer f takes Stats.mu")},
		"doubled":    {ruleOf(ref[0].message), ruleOf(ref[1].message), ruleOf(ref[1].message)},
		"other rule": {ruleOf(ref[0].message), ruleOf(ref[0].message)},
		"other line": {ruleOf(ref[0].message), {"a/a.go", 42, "blocking"}},
		"ambiguous":  {ruleOf(ref[0].message), ruleOf("takes Pool.mu and can wait without bound")},
	} {
		if p := diffRuled(ruledOf(ref), got); len(p) == 0 {
			t.Errorf("%s: the comparison finds no difference", name)
		}
	}
	if _, problems := wantRules([]want{re("finalizer f")}, ref); len(problems) == 0 {
		t.Error("a want that matches findings of two rules is accepted")
	}
}
