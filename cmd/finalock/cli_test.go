package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/docs"
	"github.com/finalock/finalock/passes"
)

// runHere runs the standalone driver in this process.
func runHere(args ...string) (string, string, int) {
	var stdout, stderr bytes.Buffer
	code := standalone(args, &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// TestUsage checks that -h and `finalock help` name every pass and rule
// and give every exit code, on standard output.
func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"-help"}, {"help"}} {
		out, errs, code := runHere(args...)
		if code != exitClean || errs != "" {
			t.Errorf("finalock %s: exit %d, stderr %q", strings.Join(args, " "), code, errs)
		}
		for _, a := range passes.All() {
			if !strings.Contains(out, "  "+a.Name+": "+title(a)+"\n") {
				t.Errorf("finalock %s does not name the pass %s with its summary", strings.Join(args, " "), a.Name)
			}
		}
		for _, r := range analyzer.Rules {
			if !strings.Contains(out, " "+r.Name+" ") || !strings.Contains(out, r.Summary+"\n") {
				t.Errorf("finalock %s does not list the rule %s", strings.Join(args, " "), r.Name)
			}
		}
		for _, c := range []string{"0  nothing found", "1  a package could not", "2  bad flags", "3  findings reported"} {
			if !strings.Contains(out, c) {
				t.Errorf("finalock %s does not give the exit code %q", strings.Join(args, " "), c)
			}
		}
		for _, f := range []string{"-fix", "-diff", "-baseline", "-write-baseline", "-tags", "-finalizers", "-format"} {
			if !strings.Contains(out, "  "+f+" ") && !strings.Contains(out, "  "+f+"\n") {
				t.Errorf("finalock %s does not list the flag %s", strings.Join(args, " "), f)
			}
		}
	}
}

// TestHelpTopics checks `finalock help <rule>` and `finalock help <pass>`.
func TestHelpTopics(t *testing.T) {
	for _, topic := range []string{"lock", "lockinfinalizer/lock"} {
		out, errs, code := runHere("help", topic)
		section, _ := docs.Section(docs.Rules, "lock")
		if code != exitClean || errs != "" || !strings.HasPrefix(out, "lockinfinalizer/lock: ") || !strings.Contains(out, section) || !strings.Contains(out, docs.RulesURL+"#lock") {
			t.Errorf("finalock help %s: exit %d, stderr %q, output:\n%s", topic, code, errs, out)
		}
	}
	out, _, code := runHere("help", "forkafterthreads")
	if code != exitClean || !strings.Contains(out, "rules: rawfork, exec, fdleak, forklock, pdeathsig") {
		t.Errorf("finalock help forkafterthreads: exit %d:\n%s", code, out)
	}
	for _, args := range [][]string{{"help", "nosuch"}, {"help", "forkafterthreads/lock"}, {"help", "lock", "cycle"}} {
		out, errs, code := runHere(args...)
		if code != exitUsage || out != "" || errs == "" {
			t.Errorf("finalock %s: exit %d, stdout %q, stderr %q; want exit 2 and an error", strings.Join(args, " "), code, out, errs)
		}
	}
}

// TestFlagErrors checks that bad flags exit 2 with one error line.
func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-json", "-format=sarif", "./..."}, "-json and -format=sarif ask for two formats"},
		{[]string{"-format=xml", "./..."}, "-format=xml: want text, json or sarif"},
		{[]string{"-finalizers=bdwgc", "./..."}, `invalid value "bdwgc" for flag -finalizers`},
		{[]string{"-nosuchflag", "./..."}, "flag provided but not defined: -nosuchflag"},
		{[]string{"-baseline=a", "-write-baseline=b", "./..."}, "give one"},
		{[]string{"-write-baseline=b", "-fix", "./..."}, "does not apply fixes"},
		{nil, "no packages"},
	} {
		out, errs, code := runHere(tc.args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errs, "finalock: ") || !strings.Contains(errs, tc.want) || strings.Count(errs, "\n") > 2 {
			t.Errorf("finalock %s: exit %d, stdout %q, stderr %q; want exit 2 and an error with %q", strings.Join(tc.args, " "), code, out, errs, tc.want)
		}
	}
	if _, _, code := runHere("-json", "-format=json", "-nosuchflag"); code != exitUsage {
		t.Errorf("exit %d", code)
	}
}

// TestStdout checks that the text output goes to standard output, each
// line ending with its rule, and nothing to standard error.
func TestStdout(t *testing.T) {
	bin := buildFinalock(t)
	out, errs, code := runSplit(t, repoRoot, bin, "./examples/logqueue")
	want := regexp.MustCompile(`^examples/logqueue/main\.go:\d+:\d+: finalizer \(\*Session\)\.finalize can wait without bound.* \(lockinfinalizer/blocking\)\n$`)
	if code != exitFindings || len(errs) != 0 || !want.Match(out) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestTags checks that -tags selects the files a build tag guards.
func TestTags(t *testing.T) {
	bin := buildFinalock(t)
	dir := t.TempDir()
	writeModule(t, dir, map[string]string{
		"go.mod": "module tagmod\n\ngo 1.26\n",
		"p/p.go": "package p\n",
		"p/special.go": "//go:build special\n\npackage p\n\nimport \"runtime\"\n\ntype T struct{ q chan int }\n\n" +
			"func New() *T {\n\tt := &T{q: make(chan int)}\n\truntime.SetFinalizer(t, func(t *T) { t.q <- 1 })\n\treturn t\n}\n",
	})
	if out, code := run(t, dir, bin, "./..."); code != exitClean {
		t.Errorf("without -tags: exit %d, want 0\n%s", code, out)
	}
	out, code := run(t, dir, bin, "-tags=special", "./...")
	if code != exitFindings || !strings.Contains(string(out), "special.go:11:") {
		t.Errorf("-tags=special: exit %d, want 3 and the finding in special.go\n%s", code, out)
	}
}

// TestNoPackages checks that patterns that match nothing are said to.
func TestNoPackages(t *testing.T) {
	bin := buildFinalock(t)
	dir := t.TempDir()
	writeModule(t, dir, map[string]string{"go.mod": "module nopkg\n\ngo 1.26\n"})
	out, errs, code := runSplit(t, dir, bin, "./...")
	if code != exitClean || len(out) != 0 || string(errs) != "finalock: warning: ./... matched no packages\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestVerboseNotes checks that -v prints the engine's notes: a ring of
// mutually recursive functions whose summaries do not settle within the
// fixpoint round limit is named.
func TestVerboseNotes(t *testing.T) {
	bin := buildFinalock(t)
	dir := t.TempDir()
	var src strings.Builder
	src.WriteString("package ring\n\nimport \"sync\"\n\n")
	const n = 12
	for i := 0; i < n; i++ {
		fmt.Fprintf(&src, "var mu%d sync.Mutex\n\nfunc f%d(n int) {\n\tmu%d.Lock()\n\tmu%d.Unlock()\n\tif n > 0 {\n\t\tf%d(n - 1)\n\t\tf%d(n - 1)\n\t}\n}\n\n",
			i, i, i, i, (i+1)%n, (i+n-1)%n)
	}
	writeModule(t, dir, map[string]string{"go.mod": "module ringmod\n\ngo 1.26\n", "ring/ring.go": src.String()})
	_, errs, code := runSplit(t, dir, bin, "-v", "./...")
	if code != exitClean || !regexp.MustCompile(`(?m)^finalock: ringmod/ring: note: .*not settled after`).Match(errs) {
		t.Errorf("-v: exit %d, stderr %q", code, errs)
	}
	if _, errs, _ := runSplit(t, dir, bin, "./..."); len(errs) != 0 {
		t.Errorf("without -v: stderr %q", errs)
	}
}
