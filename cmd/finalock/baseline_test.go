package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIdentity(t *testing.T) {
	base := finding{
		Package: "m/p", Analyzer: "lockinfinalizer", Category: "lock", File: "/src/m/p/p.go", Line: 18,
		Message: "finalizer (*Cursor).finalize takes Pool.mu, which (*Pool).Checkout (c.go:24) holds across receive from Pool.free (c.go:26); one goroutine runs all finalizers: finalizer (*Cursor).finalize → (*Client).closeCursor (p.go:97) → Pool.mu.Lock (c.go:82)",
	}
	with := func(edit func(*finding)) finding {
		f := base
		edit(&f)
		return f
	}
	same := map[string]finding{
		"moved lines": with(func(f *finding) {
			f.Line = 40
			f.Message = strings.NewReplacer("c.go:24", "c.go:31", "c.go:26", "c.go:33", "p.go:97", "p.go:120", "c.go:82", "c.go:90").Replace(f.Message)
		}),
		"a function of the chain renamed": with(func(f *finding) {
			f.Message = strings.Replace(f.Message, "(*Client).closeCursor", "(*Client).dropCursor", 1)
		}),
		"another checkout":    with(func(f *finding) { f.File = "/elsewhere/m/p/p.go" }),
		"the rule at the end": with(func(f *finding) { f.Message += " (lockinfinalizer/lock)" }),
	}
	for name, f := range same {
		if identity(f) != identity(base) {
			t.Errorf("%s: identity changed:\n%s\n%s", name, identity(base), identity(f))
		}
	}
	other := map[string]finding{
		"the root renamed": with(func(f *finding) {
			f.Message = strings.ReplaceAll(f.Message, "(*Cursor).finalize", "(*Cursor).finish")
		}),
		"another lock":    with(func(f *finding) { f.Message = strings.Replace(f.Message, "takes Pool.mu", "takes Stats.mu", 1) }),
		"another rule":    with(func(f *finding) { f.Category = "cycle" }),
		"another file":    with(func(f *finding) { f.File = "/src/m/p/q.go" }),
		"another package": with(func(f *finding) { f.Package = "m/q" }),
	}
	for name, f := range other {
		if identity(f) == identity(base) {
			t.Errorf("%s: identity did not change: %s", name, identity(f))
		}
	}
	if id := identity(base); strings.Contains(id, ".go:") || strings.Contains(id, "closeCursor") || !strings.Contains(id, "(*Cursor).finalize takes Pool.mu") {
		t.Errorf("identity %q keeps a position or the chain, or loses the root or the lock", id)
	}
}

// baselineModule is a module with a finalizer that waits through a
// helper, and a function that has nothing to do with it.
const baselineModule = `package p

import "runtime"

// H queues messages.
type H struct{ q chan string }

// Log queues m.
func (h *H) Log(m string) { h.q <- m }

// S holds a queue.
type S struct{ h *H }

func (s *S) finalize() { s.h.Log("leak") }

// Open returns an S.
func Open(h *H) *S {
	s := &S{h: h}
	runtime.SetFinalizer(s, (*S).finalize)
	return s
}

func unrelated() {}
`

// TestBaseline records a module's finding, then checks which edits keep
// it matched by the baseline (moving lines, renaming a function of the
// chain or one elsewhere) and which make it new (renaming the root, a
// second finding).
func TestBaseline(t *testing.T) {
	bin := buildFinalock(t)
	dir := t.TempDir()
	write := func(src string) {
		writeModule(t, dir, map[string]string{"go.mod": "module blmod\n\ngo 1.26\n", "p/p.go": src})
	}
	write(baselineModule)
	file := filepath.Join(dir, "finalock.baseline")
	out, errs, code := runSplit(t, dir, bin, "-write-baseline="+file, "./...")
	if code != exitClean || len(out) != 0 || !strings.Contains(string(errs), "recorded 1 finding in ") {
		t.Fatalf("-write-baseline: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), baselineHeader) || !strings.Contains(string(data), "lockinfinalizer/blocking\tblmod/p/p.go\tfinalizer (*p.S).finalize · send · blmod/p.H.q") {
		t.Fatalf("baseline file:\n%s", data)
	}

	for _, tc := range []struct {
		name string
		src  string
		want []string // the findings reported, by the text each contains
	}{
		{"unchanged", baselineModule, nil},
		{"lines moved", strings.Replace(baselineModule, "import \"runtime\"\n", "import \"runtime\"\n\n// More.\n\n// Lines.\n", 1), nil},
		{"a function of the chain renamed", strings.ReplaceAll(baselineModule, "Log(", "Write("), nil},
		{"a function elsewhere renamed", strings.Replace(baselineModule, "func unrelated() {}", "// helper was unrelated.\nfunc helper() {}", 1), nil},
		{"the root renamed", strings.ReplaceAll(baselineModule, "finalize", "finish"), []string{"finalizer (*S).finish can wait"}},
		{"a new finding", baselineModule + "\n// Open2 returns an S.\nfunc Open2(h *H) *S {\n\ts := &S{h: h}\n\truntime.SetFinalizer(s, func(s *S) { s.h.Log(\"again\") })\n\treturn s\n}\n", []string{"finalizer Open2.func1 can wait"}},
	} {
		write(tc.src)
		out, errs, code := runSplit(t, dir, bin, "-baseline="+file, "./...")
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(out) == 0 {
			lines = nil
		}
		wantCode := exitClean
		if len(tc.want) > 0 {
			wantCode = exitFindings
		}
		if code != wantCode || len(lines) != len(tc.want) || len(errs) != 0 {
			t.Errorf("%s: exit %d (want %d), stderr %q, findings:\n%s", tc.name, code, wantCode, errs, out)
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("%s: finding %q, want one with %q", tc.name, lines[i], w)
			}
		}
	}

	// Under -v, an entry that matches nothing is named.
	write(strings.ReplaceAll(baselineModule, "finalize", "finish"))
	_, errs, _ = runSplit(t, dir, bin, "-v", "-baseline="+file, "./...")
	if !strings.Contains(string(errs), "baseline entry matches no finding: lockinfinalizer/blocking\tblmod/p/p.go\tfinalizer (*p.S).finalize") {
		t.Errorf("-v does not name the stale entry:\n%s", errs)
	}
}

// TestBaselineCounts checks that an entry matches one finding: the same
// finding twice needs two entries.
func TestBaselineCounts(t *testing.T) {
	f := finding{Package: "m/p", Analyzer: "lockinfinalizer", Category: "blocking", File: "p.go", Message: "finalizer f can wait without bound"}
	rep := &report{findings: []finding{f, f}}
	b := baseline{identity(f): 1}
	if unused := b.filter(rep); len(unused) != 0 || len(rep.findings) != 1 {
		t.Errorf("one entry for two findings: %d left, unused %q", len(rep.findings), unused)
	}
	rep = &report{findings: []finding{f}}
	b = baseline{identity(f): 2}
	if unused := b.filter(rep); len(unused) != 1 || len(rep.findings) != 0 {
		t.Errorf("two entries for one finding: %d left, unused %q", len(rep.findings), unused)
	}
}

func TestReadBaseline(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("# comment\nnot a finding\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readBaseline(bad); err == nil || !strings.Contains(err.Error(), "bad:2: ") {
		t.Errorf("readBaseline of a bad file: %v", err)
	}
	if _, err := readBaseline(filepath.Join(dir, "missing")); err == nil {
		t.Error("readBaseline of a missing file: no error")
	}
}
