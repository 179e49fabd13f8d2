package main

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// markdown is the report of one evaluation.
type markdown struct {
	command string
	date    time.Time
	took    time.Duration
	corpus  string
	binary  string
	digest  string
	cases   []*scoredCase
}

// tally counts the outcomes of one group of cases.
type tally struct {
	tp, fp, fn, tn, skip, errs int
}

func (t *tally) add(outcome string) {
	switch outcome {
	case outTP:
		t.tp++
	case outFP:
		t.fp++
	case outFN:
		t.fn++
	case outTN:
		t.tn++
	case outSkip:
		t.skip++
	case outError:
		t.errs++
	}
}

// ratio renders a/(a+b) with its counts, or "–" when a+b is zero.
func ratio(a, b int) string {
	if a+b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f (%d/%d)", float64(a)/float64(a+b), a, a+b)
}

func (t *tally) row(pass, rule string) string {
	return fmt.Sprintf("| %s | %s | %d | %d | %d | %d | %s | %s | %d | %d |",
		pass, rule, t.tp, t.fp, t.fn, t.tn, ratio(t.tp, t.fp), ratio(t.tp, t.fn), t.skip, t.errs)
}

func (m *markdown) write(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# finalock corpus evaluation\n\n")
	fmt.Fprintf(b, "- command: `%s`\n", m.command)
	fmt.Fprintf(b, "- date: %s (took %s)\n", m.date.UTC().Format("2006-01-02 15:04 MST"), m.took.Round(time.Second))
	fmt.Fprintf(b, "- corpus: `%s`, %d cases\n", m.corpus, len(m.cases))
	fmt.Fprintf(b, "- finalock: `%s` (sha256 %.12s)\n\n", m.binary, m.digest)
	fmt.Fprintf(b, "A `report` case is found (TP) when a diagnostic of its pass, and of its rule when it names one, lies in the top-level declaration that contains its line; a `clean` case holds (TN) when none does. `skip` cases are not scored; `error` cases could not be analysed.\n\n")
	for _, s := range settings {
		col := "expect"
		if s == settingInline {
			col = "expect_sync"
		}
		fmt.Fprintf(b, "## -finalizers=%s (column `%s`)\n\n", s, col)
		m.table(b, s)
		fmt.Fprintf(b, "\n")
	}
	m.errors(b)
	for _, s := range settings {
		fmt.Fprintf(b, "## Cases under -finalizers=%s\n\n", s)
		for _, c := range m.cases {
			m.caseLine(b, c, s)
		}
		fmt.Fprintf(b, "\n")
	}
	return b.Flush()
}

// table writes the per-pass and per-rule counts of one setting.
func (m *markdown) table(w io.Writer, setting string) {
	type key struct{ pass, rule string }
	byRule := map[key]*tally{}
	byPass := map[string]*tally{}
	rules := map[string]int{}
	var all tally
	for _, c := range m.cases {
		o := c.Results[setting].Outcome
		k := key{c.Pass, c.Rule}
		if byRule[k] == nil {
			byRule[k] = &tally{}
			rules[c.Pass]++
		}
		if byPass[c.Pass] == nil {
			byPass[c.Pass] = &tally{}
		}
		byRule[k].add(o)
		byPass[c.Pass].add(o)
		all.add(o)
	}
	keys := make([]key, 0, len(byRule))
	for k := range byRule {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].pass != keys[j].pass {
			return keys[i].pass < keys[j].pass
		}
		return keys[i].rule < keys[j].rule
	})
	fmt.Fprintf(w, "| pass | rule | TP | FP | FN | TN | precision | recall | skip | error |\n")
	fmt.Fprintf(w, "| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: |\n")
	for i, k := range keys {
		rule := k.rule
		if rule == "" {
			rule = "(any)"
		}
		fmt.Fprintln(w, byRule[k].row(k.pass, rule))
		if last := i == len(keys)-1 || keys[i+1].pass != k.pass; last && rules[k.pass] > 1 {
			fmt.Fprintln(w, byPass[k.pass].row("**"+k.pass+"**", "all"))
		}
	}
	fmt.Fprintln(w, all.row("**all**", ""))
}

// errors lists every package that could not be analysed, once per run.
func (m *markdown) errors(w io.Writer) {
	seen := map[string]bool{}
	var lines []string
	for _, c := range m.cases {
		for _, s := range settings {
			r := c.Results[s]
			if r.Outcome != outError {
				continue
			}
			l := fmt.Sprintf("- %s@%s `%s` (GOOS=%s", c.Module, c.Version, c.Package(), c.Goos())
			if c.Tags != "" {
				l += " tags=" + c.Tags
			}
			l += fmt.Sprintf(", finalizers=%s): %s", s, oneLine(r.Err))
			if !seen[l] {
				seen[l] = true
				lines = append(lines, l)
			}
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "## Packages not analysed\n\n%s\n\n", strings.Join(lines, "\n"))
}

// caseLine writes one case under one setting, with the diagnostics found
// in its declaration below it.
func (m *markdown) caseLine(w io.Writer, c *scoredCase, setting string) {
	r := c.Results[setting]
	what := c.Pass
	if c.Rule != "" {
		what += "/" + c.Rule
	}
	where := fmt.Sprintf("%s:%d", c.File, c.Line)
	if c.Decl.End > 0 {
		where += fmt.Sprintf(" in %s (lines %d–%d)", c.Decl.Name, c.Decl.Start, c.Decl.End)
	}
	if r.Outcome == outError {
		fmt.Fprintf(w, "- **%s** %s %s `%s`: expect %s, error: %s\n", c.ID, what, c.Module, where, r.Expect, oneLine(r.Err))
		return
	}
	mark := ""
	if r.Outcome == outFP || r.Outcome == outFN {
		mark = " **miss**"
	}
	fmt.Fprintf(w, "- **%s** %s %s `%s`: expect %s, got %s — %s%s; %s\n",
		c.ID, what, c.Module, where, r.Expect, r.Got, r.Outcome, mark, diagSummary(c, r.Found))
	for _, f := range r.Found {
		fmt.Fprintf(w, "  - `%s:%d:%d` %s/%s: %s\n", rel(c, f.File), f.Line, f.Column, f.Analyzer, f.Category, oneLine(f.Message))
	}
}

// diagSummary says how many diagnostics the declaration has, and how many
// count for the case.
func diagSummary(c *scoredCase, found []finding) string {
	if len(found) == 0 {
		return "no diagnostics in the declaration"
	}
	n := 0
	for _, f := range found {
		if relevant(c.labelledCase, f) {
			n++
		}
	}
	return fmt.Sprintf("%d diagnostics in the declaration, %d of the case's pass and rule", len(found), n)
}

// rel renders a diagnostic's file relative to its module when it is inside
// it.
func rel(c *scoredCase, file string) string {
	if c.Dir != "" {
		if r, err := filepath.Rel(c.Dir, file); err == nil && !strings.HasPrefix(r, "..") {
			return filepath.ToSlash(r)
		}
	}
	return file
}

// oneLine joins a multi-line text into one markdown-safe line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
