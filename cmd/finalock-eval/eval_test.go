package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseCorpus(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "corpus.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := parseCorpus(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 {
		t.Fatalf("got %d cases, want 2", len(cases))
	}
	a, b := cases[0], cases[1]
	if a.ID != "X01" || a.Line != 15 || a.Pass != "lockinfinalizer" || a.Rule != "lock" || a.Judgment != "judgment=TRUE" {
		t.Errorf("first case: %+v", a)
	}
	if got := a.Package(); got != "example.com/m" {
		t.Errorf("Package() = %q, want example.com/m", got)
	}
	if got := a.Goos(); got != "linux" {
		t.Errorf("Goos() = %q, want linux (the default)", got)
	}
	if got := b.Package(); got != "example.com/m/sub/dir" {
		t.Errorf("Package() = %q, want example.com/m/sub/dir", got)
	}
	if b.Goos() != "darwin" || b.Tags != "foo,bar" || b.Rule != "" || b.Judgment != "" {
		t.Errorf("second case: %+v", b)
	}
	if b.Verdict(settingGoroutine) != verdictClean || b.Verdict(settingInline) != verdictSkip {
		t.Errorf("verdicts of the second case: %q, %q", b.Verdict(settingGoroutine), b.Verdict(settingInline))
	}
	j := jobOf(b, settingInline)
	env := jobEnv(j)
	if !slices.Contains(env, "GOOS=darwin") || !strings.HasSuffix(env[len(env)-1], "-tags=foo,bar") {
		t.Errorf("jobEnv = %q", env)
	}
}

func TestParseCorpusErrors(t *testing.T) {
	header := strings.Join(columns, "\t") + "\n"
	for name, text := range map[string]string{
		"no header":     "",
		"missing col":   "id\tmodule\n",
		"bad line":      header + "X\tm\tv1\tf.go\tten\tf\tp\t\treport\treport\t\t\t\t\n",
		"bad verdict":   header + "X\tm\tv1\tf.go\t1\tf\tp\t\tyes\treport\t\t\t\t\n",
		"duplicate id":  header + "X\tm\tv1\tf.go\t1\tf\tp\t\treport\treport\nX\tm\tv1\tf.go\t1\tf\tp\t\treport\treport\n",
		"file outside":  header + "X\tm\tv1\t../f.go\t1\tf\tp\t\treport\treport\n",
		"missing field": header + "X\t\tv1\tf.go\t1\tf\tp\t\treport\treport\n",
	} {
		if _, err := parseCorpus(strings.NewReader(text)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestEnclosingDecl(t *testing.T) {
	file := filepath.Join("testdata", "sample.go")
	for _, tc := range []struct {
		line       int
		name       string
		start, end int
	}{
		{15, "New", 13, 17},
		{13, "New", 13, 17},
		{20, "(*T).finalize", 19, 22},
		{8, "var mu", 8, 8},
		{10, "type T", 10, 10},
		{26, "hold", 24, 28},
	} {
		d, err := enclosingDecl(file, tc.line)
		if err != nil {
			t.Errorf("line %d: %v", tc.line, err)
			continue
		}
		if d.Name != tc.name || d.Start != tc.start || d.End != tc.end {
			t.Errorf("line %d: got %+v, want %s %d-%d", tc.line, d, tc.name, tc.start, tc.end)
		}
	}
	if _, err := enclosingDecl(file, 12); err == nil {
		t.Errorf("line 12 (a doc comment) is in no declaration, got no error")
	}
}

func TestScore(t *testing.T) {
	file, err := filepath.Abs(filepath.Join("testdata", "sample.go"))
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(filepath.Dir(file), "other.go")
	findings := []finding{
		{Analyzer: "lockinfinalizer", Category: "lock", File: file, Line: 15},
		{Analyzer: "lockinfinalizer", Category: "blocking", File: file, Line: 16},
		{Analyzer: "allocunderlock", Category: "alloc", File: file, Line: 26},
		{Analyzer: "lockinfinalizer", Category: "lock", File: other, Line: 20},
	}
	decl := func(line int) declRange {
		d, err := enclosingDecl(file, line)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	lock := &labelledCase{Pass: "lockinfinalizer", Rule: "lock"}
	anyRule := &labelledCase{Pass: "lockinfinalizer"}
	cycle := &labelledCase{Pass: "lockinfinalizer", Rule: "cycle"}
	alloc := &labelledCase{Pass: "allocunderlock", Rule: "alloc"}
	for _, tc := range []struct {
		name    string
		c       *labelledCase
		line    int
		expect  string
		got     string
		outcome string
		found   int
	}{
		{"report found", lock, 15, verdictReport, verdictReport, outTP, 2},
		{"report of any rule", anyRule, 14, verdictReport, verdictReport, outTP, 2},
		{"other rule only", cycle, 15, verdictReport, verdictClean, outFN, 2},
		{"clean but reported", lock, 13, verdictClean, verdictReport, outFP, 2},
		{"clean, other file ignored", lock, 20, verdictClean, verdictClean, outTN, 0},
		{"clean, other pass ignored", lock, 26, verdictClean, verdictClean, outTN, 1},
		{"alloc found", alloc, 25, verdictReport, verdictReport, outTP, 1},
		{"skip still shows got", alloc, 25, verdictSkip, verdictReport, outSkip, 1},
	} {
		found := inDecl(findings, file, decl(tc.line))
		got, outcome := score(tc.c, tc.expect, found)
		if got != tc.got || outcome != tc.outcome || len(found) != tc.found {
			t.Errorf("%s: got %s %s with %d findings, want %s %s with %d", tc.name, got, outcome, len(found), tc.got, tc.outcome, tc.found)
		}
	}
}
