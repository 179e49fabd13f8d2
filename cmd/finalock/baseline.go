package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/finalock/finalock/analyzer"
)

// baselineHeader starts every baseline file.
const baselineHeader = `# finalock baseline: the findings that finalock -baseline=FILE does not report.
# Written by finalock -write-baseline=FILE. One finding a line: the rule, the
# package and file, and the finding's root and lock or operation (or, where
# a pass names none, the message without positions and witness).
`

// positionRE matches a position inside a message, file.go:line or
// file.go:line:column.
var positionRE = regexp.MustCompile(`\.go:\d+(:\d+)?`)

// identity is the one place where a finding's identity is decided: what
// a baseline entry matches, and so what makes a finding new. It is the
// rule, the package and the file name, and the pass's key of the finding:
// the root function and the lock or operation, no words and no line, so
// edits that move code, reword messages or rename functions along the
// chain keep the identity; renaming the root function changes it. For a
// pass that gives no key, the message without the rule that ends it,
// without its witness chain (the part after the last ": " before the
// first " → ") and without any position (file.go:N) stands in.
func identity(f finding) string {
	if f.key != "" {
		// The pass's identity: the root and the lock or operation.
		return analyzer.RuleID(f.Analyzer, f.Category) + "\t" + f.Package + "/" + filepath.Base(f.File) + "\t" + f.key
	}
	msg, _, _, _ := analyzer.CutRuleSuffix(f.Message)
	if arrow := strings.Index(msg, " → "); arrow >= 0 {
		if start := strings.LastIndex(msg[:arrow], ": "); start >= 0 {
			msg = msg[:start]
		}
	}
	msg = positionRE.ReplaceAllString(msg, ".go")
	msg = strings.Join(strings.Fields(msg), " ")
	return analyzer.RuleID(f.Analyzer, f.Category) + "\t" + f.Package + "/" + filepath.Base(f.File) + "\t" + msg
}

// A baseline counts the identities of the findings it holds: a finding
// that is in it twice is matched twice.
type baseline map[string]int

// readBaseline reads a file written by writeBaseline.
func readBaseline(path string) (baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	b := baseline{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.Count(line, "\t") != 2 {
			return nil, fmt.Errorf("%s:%d: not a finding of a finalock baseline (rule, package/file and message, separated by tabs)", path, i+1)
		}
		b[line]++
	}
	return b, nil
}

// writeBaseline records the findings' identities in path, sorted.
func writeBaseline(path string, findings []finding) error {
	ids := make([]string, 0, len(findings))
	for _, f := range findings {
		ids = append(ids, identity(f))
	}
	sort.Strings(ids)
	var b strings.Builder
	b.WriteString(baselineHeader)
	for _, id := range ids {
		b.WriteString(id + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// filter drops the report's findings that the baseline holds, and returns
// the baseline's entries that matched no finding, sorted.
func (b baseline) filter(r *report) []string {
	left := map[string]int{}
	for id, n := range b {
		left[id] = n
	}
	kept := r.findings[:0]
	for _, f := range r.findings {
		if id := identity(f); left[id] > 0 {
			left[id]--
			continue
		}
		kept = append(kept, f)
	}
	r.findings = kept
	var unused []string
	for id, n := range left {
		for range n {
			unused = append(unused, id)
		}
	}
	sort.Strings(unused)
	return unused
}
