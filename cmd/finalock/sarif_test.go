package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/docs"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// runSARIF runs finalock -format=sarif with args in dir, requires the exit
// code want, and returns the output and the log.
func runSARIF(t *testing.T, bin, dir string, want int, args ...string) ([]byte, sarifLog) {
	t.Helper()
	out, errs, code := runSplit(t, dir, bin, append([]string{"-format=sarif"}, args...)...)
	if code != want {
		t.Fatalf("finalock -format=sarif %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errs)
	}
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatalf("SARIF output: %v\n%s", err, out)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return out, log
}

// badModule writes a module with a package that does not type-check and
// one with a finding, and returns its directory.
func badModule(t *testing.T) string {
	dir := t.TempDir()
	writeModule(t, dir, map[string]string{
		"go.mod":     "module badmod\n\ngo 1.26\n",
		"bad/bad.go": "package bad\n\nfunc F() int { return \"x\" }\n",
		"good/good.go": "package good\n\nimport \"runtime\"\n\ntype T struct{ q chan int }\n\n" +
			"func New() *T {\n\tt := &T{q: make(chan int)}\n\truntime.SetFinalizer(t, func(t *T) { t.q <- 1 })\n\treturn t\n}\n",
	})
	return dir
}

// TestSARIFSchema validates outputs that hold every part finalock writes
// (code flows, fixes, notifications) against the SARIF 2.1.0 schema that
// the npm package @microsoft/jest-sarif ships; .ci/run fetches it and
// names it in FINALOCK_SARIF_SCHEMA.
func TestSARIFSchema(t *testing.T) {
	schemaPath := needInput(t, "FINALOCK_SARIF_SCHEMA", "name the SARIF 2.1.0 schema file (.ci/run fetches it from npm)")
	bin := buildFinalock(t)
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(name string, out []byte) {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(out)))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: output does not validate against SARIF 2.1.0: %v", name, err)
		}
	}

	out, log := runSARIF(t, bin, vetmod, exitFindings, "./...")
	if !slices.ContainsFunc(log.Runs[0].Results, func(r sarifResult) bool { return len(r.CodeFlows) > 0 }) {
		t.Error("vetmod: no code flow to validate")
	}
	validate("vetmod", out)

	out, log = runSARIF(t, bin, repoRoot, exitFindings, "-finalizers=inline", "./examples/poolreset")
	if !slices.ContainsFunc(log.Runs[0].Results, func(r sarifResult) bool { return len(r.Fixes) > 0 }) {
		t.Error("examples/poolreset: no fix to validate")
	}
	validate("examples/poolreset", out)

	out, log = runSARIF(t, bin, badModule(t), exitError, "./...")
	if len(log.Runs[0].Invocations[0].ToolExecutionNotifications) == 0 {
		t.Error("a module with a bad package: no notification to validate")
	}
	validate("a module with a bad package", out)
}

// TestSARIF checks what code scanning relies on: the tool's version, one
// rule per finalock rule, rule ids, URIs relative to the root, a code flow
// for each witness chain, and fingerprints that survive edits that move
// the findings.
func TestSARIF(t *testing.T) {
	bin := buildFinalock(t)
	orig, moved := t.TempDir(), t.TempDir()
	copyTree(t, vetmod, orig, nil)
	// Move every finding down three lines.
	copyTree(t, vetmod, moved, func(rel string, data []byte) []byte {
		if strings.HasSuffix(rel, ".go") {
			return append([]byte("// Moved.\n\n\n"), data...)
		}
		return data
	})
	_, log := runSARIF(t, bin, orig, exitFindings, "./...")
	run := log.Runs[0]
	driver := run.Tool.Driver
	if driver.Version == "" || !regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`).MatchString(driver.SemanticVersion) {
		t.Errorf("driver version %q, semantic version %q", driver.Version, driver.SemanticVersion)
	}
	if n := len(driver.Rules); n != len(analyzer.Rules) {
		t.Errorf("%d rules, want one per finalock rule, %d", n, len(analyzer.Rules))
	}
	if inv := run.Invocations; len(inv) != 1 || !inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 0 {
		t.Errorf("invocations %+v, want one that succeeded without notifications", inv)
	}
	wants := readWants(t, vetmod)
	if len(run.Results) != len(wants) {
		t.Errorf("%d results, want %d", len(run.Results), len(wants))
	}
	before := map[string]int{}
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if loc == nil || loc.Region == nil {
			t.Fatalf("%s: result without a file and line", res.RuleID)
		}
		if loc.ArtifactLocation.URIBaseID != srcRoot || strings.HasPrefix(loc.ArtifactLocation.URI, "file:") {
			t.Errorf("%s: URI %q not relative to the module root", res.RuleID, loc.ArtifactLocation.URI)
		}
		if len(res.CodeFlows) != 1 || len(res.CodeFlows[0].ThreadFlows[0].Locations) < 3 {
			t.Errorf("%s at %s:%d: no code flow for the witness", res.RuleID, loc.ArtifactLocation.URI, loc.Region.StartLine)
		}
		if strings.HasSuffix(res.Message.Text, ")") && strings.Contains(res.Message.Text, "(lockinfinalizer/") {
			t.Errorf("%s: message ends with the rule, which ruleId gives: %s", res.RuleID, res.Message.Text)
		}
		before[res.PartialFingerprints[fingerprintV]] = loc.Region.StartLine
	}

	_, after := runSARIF(t, bin, moved, exitFindings, "./...")
	for _, res := range after.Runs[0].Results {
		fp := res.PartialFingerprints[fingerprintV]
		line, ok := before[fp]
		if !ok {
			t.Errorf("%s: fingerprint %s changed when the file moved", res.RuleID, fp)
			continue
		}
		if got := res.Locations[0].PhysicalLocation.Region.StartLine; got != line+3 {
			t.Errorf("%s: line %d after the move, want %d", res.RuleID, got, line+3)
		}
	}
}

// TestSARIFRules checks each rule's help: the summary, its section of
// docs/rules.md as Markdown, and a help URI whose anchor is that section's.
func TestSARIFRules(t *testing.T) {
	rules, index := sarifRules()
	anchors := docs.Anchors(docs.Rules)
	for _, r := range analyzer.Rules {
		sr := rules[index[r.Name]]
		section, _ := docs.Section(docs.Rules, r.Name)
		if sr.ID != r.Name || sr.ShortDescription.Text != r.Summary || section == "" || sr.Help.Markdown != section || !strings.Contains(sr.Help.Text, section) {
			t.Errorf("rule %s: id %q, summary %q, help %.60q…", r.Name, sr.ID, sr.ShortDescription.Text, sr.Help.Markdown)
		}
		anchor, ok := strings.CutPrefix(sr.HelpURI, docs.RulesURL+"#")
		if !ok || !slices.Contains(anchors, anchor) {
			t.Errorf("rule %s: help URI %s: no section of docs/rules.md has that anchor", r.Name, sr.HelpURI)
		}
	}
}

// TestSARIFRepositoryRoot puts the module in a subdirectory of a
// repository: URIs are relative to the repository, as code scanning wants.
func TestSARIFRepositoryRoot(t *testing.T) {
	bin := buildFinalock(t)
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(repo, "services", "db")
	copyTree(t, vetmod, mod, nil)
	_, log := runSARIF(t, bin, mod, exitFindings, "./...")
	run := log.Runs[0]
	if base := run.OriginalURIBaseIDs[srcRoot].URI; base != fileURI(repo)+"/" {
		t.Errorf("SRCROOT is %q, want the repository root %q", base, fileURI(repo)+"/")
	}
	for _, res := range run.Results {
		if uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(uri, "services/db/") {
			t.Errorf("%s: URI %q, want one relative to the repository root", res.RuleID, uri)
		}
		for _, step := range res.CodeFlows[0].ThreadFlows[0].Locations[1:] {
			if p := step.Location.PhysicalLocation; p != nil && !strings.HasPrefix(p.ArtifactLocation.URI, "services/db/") {
				t.Errorf("%s: code flow URI %q, want one relative to the repository root", res.RuleID, p.ArtifactLocation.URI)
			}
		}
	}
}

// TestSARIFNotifications checks that a package that does not load is
// recorded in the invocation, at its error's position.
func TestSARIFNotifications(t *testing.T) {
	bin := buildFinalock(t)
	_, log := runSARIF(t, bin, badModule(t), exitError, "./...")
	inv := log.Runs[0].Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful || len(inv[0].ToolExecutionNotifications) != 1 {
		t.Fatalf("invocations %+v, want one unsuccessful with one notification", inv)
	}
	n := inv[0].ToolExecutionNotifications[0]
	if n.Level != "error" || !strings.HasPrefix(n.Message.Text, "badmod/bad: ") || len(n.Locations) != 1 {
		t.Fatalf("notification %+v", n)
	}
	if p := n.Locations[0].PhysicalLocation; p.ArtifactLocation.URI != "bad/bad.go" || p.Region == nil || p.Region.StartLine != 3 {
		t.Errorf("notification at %+v, want bad/bad.go line 3", p)
	}
	if len(log.Runs[0].Results) != 1 {
		t.Errorf("%d results, want the good package's one", len(log.Runs[0].Results))
	}
}

// TestSARIFFixes applies the replacements of a SARIF fix by byte offset
// and requires the text the JSON fix gives.
func TestSARIFFixes(t *testing.T) {
	bin := buildFinalock(t)
	_, log := runSARIF(t, bin, repoRoot, exitFindings, "-finalizers=inline", "./examples/poolreset")
	out, _ := run(t, repoRoot, bin, "-format=json", "-finalizers=inline", "./examples/poolreset")
	var findings []finding
	if err := json.Unmarshal(out, &findings); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	src, err := os.ReadFile(filepath.Join(repoRoot, "examples", "poolreset", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromSARIF []byte
	for _, f := range findings {
		if len(f.Fixes) > 0 {
			fromJSON, err = apply(src, f.Fixes[0].Edits)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, res := range log.Runs[0].Results {
		for _, fx := range res.Fixes {
			change := fx.ArtifactChanges[0]
			if change.ArtifactLocation.URI != "examples/poolreset/main.go" {
				t.Errorf("fix of %s in %q", res.RuleID, change.ArtifactLocation.URI)
			}
			fromSARIF = slices.Clone(src)
			for _, r := range slices.Backward(change.Replacements) {
				at, n := *r.DeletedRegion.ByteOffset, *r.DeletedRegion.ByteLength
				text := ""
				if r.InsertedContent != nil {
					text = r.InsertedContent.Text
				}
				fromSARIF = slices.Concat(fromSARIF[:at], []byte(text), fromSARIF[at+n:])
			}
		}
	}
	want := "\tconns := make(map[*Conn]struct{})\n\tp.mu.Lock()\n\tp.conns = conns\n"
	if !strings.Contains(string(fromJSON), want) {
		t.Fatalf("the JSON fix does not move the allocation before the lock:\n%s", fromJSON)
	}
	if string(fromSARIF) != string(fromJSON) {
		t.Errorf("the SARIF fix gives another text than the JSON fix:\n%s", fromSARIF)
	}
}

func TestVersion(t *testing.T) {
	for _, tc := range []struct {
		version, revision string
		want, semver      string
	}{
		{"v0.1.0", "", "v0.1.0", "0.1.0"},
		{"v0.0.0-20260101000000-0123456789ab+dirty", "", "v0.0.0-20260101000000-0123456789ab+dirty", "0.0.0-20260101000000-0123456789ab+dirty"},
		{"(devel)", "0123456789abcdef", "devel 0123456789ab", "0.0.0-devel+0123456789ab"},
		{"(devel)", "", "devel", "0.0.0-devel"},
	} {
		info := &debug.BuildInfo{Main: debug.Module{Version: tc.version}}
		if tc.revision != "" {
			info.Settings = []debug.BuildSetting{{Key: "vcs.revision", Value: tc.revision}}
		}
		if v, s := versionOf(info); v != tc.want || s != tc.semver {
			t.Errorf("versionOf(%s, %s) = %q, %q; want %q, %q", tc.version, tc.revision, v, s, tc.want, tc.semver)
		}
	}
}
