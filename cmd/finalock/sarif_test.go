package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func runSARIF(t *testing.T, bin, dir string) ([]byte, sarifLog) {
	t.Helper()
	out, code := run(t, dir, bin, "-format=sarif", "./...")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s", code, exitFindings, out)
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

// TestSARIFSchema validates the output against the SARIF 2.1.0 schema that
// the npm package @microsoft/jest-sarif ships; .ci/run fetches it and names
// it in FINALOCK_SARIF_SCHEMA.
func TestSARIFSchema(t *testing.T) {
	schemaPath := os.Getenv("FINALOCK_SARIF_SCHEMA")
	if schemaPath == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("FINALOCK_SARIF_SCHEMA is not set")
		}
		t.Skip("FINALOCK_SARIF_SCHEMA names no schema file (.ci/run fetches it)")
	}
	bin := buildFinalock(t)
	out, _ := runSARIF(t, bin, vetmod)

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
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(out)))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("output does not validate against SARIF 2.1.0: %v", err)
	}
}

// TestSARIF checks what code scanning relies on: one rule per finalock
// rule with a help URI, rule ids, URIs relative to the module root, a code
// flow for each witness chain, and fingerprints that survive edits that
// move the findings.
func TestSARIF(t *testing.T) {
	bin := buildFinalock(t)
	_, log := runSARIF(t, bin, vetmod)
	run := log.Runs[0]
	if n := len(run.Tool.Driver.Rules); n < 10 {
		t.Errorf("%d rules, want one per finalock rule", n)
	}
	for _, r := range run.Tool.Driver.Rules {
		if !strings.HasSuffix(r.HelpURI, "#"+r.ID) {
			t.Errorf("rule %s: help URI %q", r.ID, r.HelpURI)
		}
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
		before[res.PartialFingerprints[fingerprintV]] = loc.Region.StartLine
	}

	// Move every finding down three lines: the fingerprints stay.
	moved := t.TempDir()
	err := filepath.WalkDir(vetmod, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(vetmod, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".go") {
			data = append([]byte("// Moved.\n\n\n"), data...)
		}
		dst := filepath.Join(moved, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, after := runSARIF(t, bin, moved)
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
