package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	// The changes are seven lines apart: two hunks.
	a := "a\nb\nc\nd\ne\nf\ng\nh\nx\ni\nj\nk\nl\nm\n"
	b := "a\nb\nc\nd\nE\nf\ng\nh\nx\ni\nj\nk\nL\nl\nm\n"
	want := `--- a/x.go
+++ b/x.go
@@ -2,7 +2,7 @@
 b
 c
 d
-e
+E
 f
 g
 h
@@ -10,5 +10,6 @@
 i
 j
 k
+L
 l
 m
`
	if got := unified("a/x.go", "b/x.go", a, b); got != want {
		t.Errorf("unified:\n%s\nwant:\n%s", got, want)
	}
	if got := unified("a", "b", a, a); got != "" {
		t.Errorf("no change gives %q", got)
	}
	// Changes no more than twice the context apart share a hunk.
	got := unified("a", "b", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\nX\n3\n4\n5\n6\n7\n8\nY\n")
	if strings.Count(got, "@@ ") != 1 || !strings.Contains(got, "@@ -1,9 +1,9 @@\n") {
		t.Errorf("close changes:\n%s", got)
	}
	got = unified("a", "b", "x\ny", "x\nz")
	if !strings.Contains(got, "-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n") {
		t.Errorf("no newline at the end:\n%s", got)
	}
}

// TestLineDiff requires every script to turn a into b, and to be no longer
// than needed on a few shapes.
func TestLineDiff(t *testing.T) {
	for _, tc := range []struct {
		a, b    string
		changes int
	}{
		{"", "", 0},
		{"", "a\nb\n", 2},
		{"a\nb\n", "", 2},
		{"a\nb\nc\n", "a\nc\n", 1},
		{"a\nb\nc\n", "x\na\nb\nc\ny\n", 2},
		{"a\nb\nc\nd\n", "d\nc\nb\na\n", 6},
		{"p\nq\nr\ns\nt\n", "p\nQ\nr\nS\nt\n", 4},
	} {
		ops := lineDiff(splitLines(tc.a), splitLines(tc.b))
		var a, b strings.Builder
		changes := 0
		for _, op := range ops {
			if op.kind != '+' {
				a.WriteString(op.text)
			}
			if op.kind != '-' {
				b.WriteString(op.text)
			}
			if op.kind != ' ' {
				changes++
			}
		}
		if a.String() != tc.a || b.String() != tc.b || changes != tc.changes {
			t.Errorf("lineDiff(%q, %q): gives %q → %q with %d changes, want %d", tc.a, tc.b, a.String(), b.String(), changes, tc.changes)
		}
	}
}

// TestPlan checks that an equal edit is made once, and that a fix that
// overlaps another is left out whole.
func TestPlan(t *testing.T) {
	e := func(from, to int, text string) edit {
		return edit{File: "f.go", Start: position{Offset: from}, End: position{Offset: to}, New: text}
	}
	withFix := func(edits ...edit) finding {
		return finding{File: "f.go", Fixes: []fix{{Message: "fix", Edits: edits}}}
	}
	findings := []finding{
		withFix(e(0, 2, "A"), e(10, 12, "B")),
		withFix(e(10, 12, "B")),                // the same edit: fine
		withFix(e(11, 14, "C"), e(20, 21, "")), // overlaps: left out, with its other edit
		{File: "f.go"},                         // no fix
		withFix(e(5, 5, "D")),
	}
	byFile, fixed, problems := plan(findings)
	if len(problems) != 1 || !fixed[0] || !fixed[1] || fixed[2] || fixed[3] || !fixed[4] {
		t.Errorf("fixed %v, problems %q", fixed, problems)
	}
	out, err := apply([]byte("0123456789abcdefghijklmn"), byFile["f.go"])
	if err != nil || string(out) != "A234D56789Bcdefghijklmn" {
		t.Errorf("apply: %q, %v", out, err)
	}
}

// TestFixAndDiff runs -diff, then -fix, on a copy of examples/poolreset:
// -diff prints the fix and changes nothing, -fix makes it, and the
// finding is gone.
func TestFixAndDiff(t *testing.T) {
	bin := buildFinalock(t)
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot, "examples", "poolreset"), dir, nil)
	writeModule(t, dir, map[string]string{"go.mod": "module poolreset\n\ngo 1.26\n"})
	main := filepath.Join(dir, "main.go")
	before, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code := runSplit(t, dir, bin, "-finalizers=inline", "-allocunderlock", "-diff", "./...")
	wantDiff := "--- a/main.go\n+++ b/main.go\n@@ -44,8 +44,9 @@\n" +
		" // reset drops every connection after a network error. The new set is\n" +
		" // allocated while p.mu is held.\n" +
		" func (p *Pool) reset() {\n" +
		"+\tconns := make(map[*Conn]struct{})\n" +
		" \tp.mu.Lock()\n" +
		"-\tp.conns = make(map[*Conn]struct{})\n" +
		"+\tp.conns = conns\n" +
		" \tp.gen++\n" +
		" \tp.mu.Unlock()\n" +
		" }\n"
	if code != exitFindings || string(out) != wantDiff || len(errs) != 0 {
		t.Errorf("-diff: exit %d, stderr %q, diff:\n%s\nwant:\n%s", code, errs, out, wantDiff)
	}
	if after, _ := os.ReadFile(main); string(after) != string(before) {
		t.Error("-diff changed the file")
	}

	out, errs, code = runSplit(t, dir, bin, "-finalizers=inline", "-allocunderlock", "-fix", "./...")
	if code != exitClean || len(out) != 0 || !strings.Contains(string(errs), "fixed 1 finding in 1 file") {
		t.Errorf("-fix: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	after, _ := os.ReadFile(main)
	if !strings.Contains(string(after), "\tconns := make(map[*Conn]struct{})\n\tp.mu.Lock()\n\tp.conns = conns\n") {
		t.Errorf("-fix did not move the allocation:\n%s", after)
	}
	if out, code := run(t, dir, bin, "-finalizers=inline", "-allocunderlock", "./..."); code != exitClean {
		t.Errorf("after -fix: exit %d\n%s", code, out)
	}
}
