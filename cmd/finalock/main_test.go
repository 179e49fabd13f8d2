package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
)

// vetmod is a module whose roots, helpers and locks live in three
// packages, so that its expectations hold only if facts survive the trip
// between packages under each driver.
var vetmod = filepath.Join("..", "..", "testdata", "src", "vetmod")

// repoRoot is the root of this repository, where the examples are.
var repoRoot = filepath.Join("..", "..")

// buildFinalock builds the command into a temporary directory.
func buildFinalock(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := filepath.Join(t.TempDir(), "finalock")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A want is an expected diagnostic: a file, a line and a pattern.
type want struct {
	file string
	line int
	re   *regexp.Regexp
}

var wantComment = regexp.MustCompile(`// want (.*)$`)

// readWants collects the `// want "re"` expectations of the module's files.
func readWants(t *testing.T, dir string) []want {
	t.Helper()
	var wants []want
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, path)
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			m := wantComment.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			for _, lit := range splitLiterals(t, m[1]) {
				wants = append(wants, want{filepath.ToSlash(rel), line, regexp.MustCompile(lit)})
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return wants
}

// splitLiterals splits `"a" "b"` or "`a` `b`" into the unquoted strings.
func splitLiterals(t *testing.T, s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		end := strings.IndexByte(s[1:], s[0]) + 2
		if s[0] == '"' {
			for end > 1 && s[end-2] == '\\' {
				end = strings.IndexByte(s[end:], '"') + end + 1
			}
		}
		if end < 2 {
			t.Fatalf("bad want literal: %s", s)
		}
		lit, err := strconv.Unquote(s[:end])
		if err != nil {
			t.Fatalf("bad want literal %s: %v", s[:end], err)
		}
		out = append(out, lit)
		s = s[end:]
	}
	return out
}

// A printed finding is a diagnostic as a driver printed it, and the rule
// its message ends with, pass/rule ("" when it ends with none).
type printed struct {
	file    string
	line    int
	message string
	rule    string
}

// newPrinted reads the rule that ends a printed message.
func newPrinted(file string, line int, message string) printed {
	rule := ""
	if _, pass, r, ok := analyzer.CutRuleSuffix(message); ok {
		rule = analyzer.RuleID(pass, r)
	}
	return printed{file, line, message, rule}
}

var textLine = regexp.MustCompile(`^(.+\.go):(\d+):\d+: (.*)$`)

func parseText(t *testing.T, dir string, out []byte) []printed {
	var fs []printed
	for _, l := range strings.Split(string(out), "\n") {
		m := textLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		line, _ := strconv.Atoi(m[2])
		fs = append(fs, newPrinted(relTo(t, dir, m[1]), line, m[3]))
	}
	return fs
}

func relTo(t *testing.T, dir, file string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.IsAbs(file) {
		if rel, err := filepath.Rel(abs, file); err == nil {
			file = rel
		}
	}
	return filepath.ToSlash(filepath.Clean(file))
}

// check requires every finding to match a want on its line and every want
// to be matched by a finding.
func check(t *testing.T, driver string, wants []want, got []printed) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range wants {
		ok := false
		for i, f := range got {
			if !used[i] && f.file == w.file && f.line == w.line && w.re.MatchString(f.message) {
				used[i], ok = true, true
				break
			}
		}
		if !ok {
			t.Errorf("%s: %s:%d: no diagnostic matching %q", driver, w.file, w.line, w.re)
		}
	}
	for i, f := range got {
		if !used[i] {
			t.Errorf("%s: %s:%d: unexpected diagnostic: %s", driver, f.file, f.line, f.message)
		}
	}
}

// run runs name in dir, hermetically (no network, no workspace), and
// returns what it printed on standard output and standard error, one after
// the other, and its exit code.
func run(t *testing.T, dir string, name string, args ...string) ([]byte, int) {
	t.Helper()
	stdout, stderr, code := runSplit(t, dir, name, args...)
	return append(stdout, stderr...), code
}

// runSplit is run with standard output and standard error apart.
func runSplit(t *testing.T, dir string, name string, args ...string) ([]byte, []byte, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return stdout.Bytes(), stderr.Bytes(), code
}

// TestVet runs the module through go vet -vettool, where facts travel in
// files between separate processes.
func TestVet(t *testing.T) {
	bin := buildFinalock(t)
	out, code := run(t, vetmod, "go", "vet", "-vettool="+bin, "./...")
	if code != 1 {
		t.Errorf("go vet exit code %d, want 1 (findings)\n%s", code, out)
	}
	check(t, "go vet", readWants(t, vetmod), parseText(t, vetmod, out))
}

// TestStandalone runs the module through the standalone driver, in text
// and in JSON.
func TestStandalone(t *testing.T) {
	bin := buildFinalock(t)
	wants := readWants(t, vetmod)

	out, errs, code := runSplit(t, vetmod, bin, "./...")
	if code != 3 {
		t.Errorf("finalock exit code %d, want 3 (findings)\n%s%s", code, out, errs)
	}
	if len(errs) != 0 {
		t.Errorf("finalock wrote on standard error:\n%s", errs)
	}
	text := parseText(t, vetmod, out)
	check(t, "finalock", wants, text)
	for _, f := range text {
		if f.rule == "" {
			t.Errorf("%s:%d: the line does not end with its rule: %s", f.file, f.line, f.message)
		}
	}

	out, _ = run(t, vetmod, bin, "-json", "./...")
	var list []struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Category string `json:"category"`
		Message  string `json:"message"`
	}
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("-json output: %v\n%s", err, out)
	}
	var got []printed
	for _, d := range list {
		if d.Category == "" {
			t.Errorf("%s:%d: finding without a category", d.File, d.Line)
		}
		got = append(got, newPrinted(relTo(t, vetmod, d.File), d.Line, d.Message))
	}
	sort.Slice(got, func(i, j int) bool { return got[i].line < got[j].line })
	check(t, "finalock -json", wants, got)
}

// TestDeterministic requires two runs to print the same bytes.
func TestDeterministic(t *testing.T) {
	bin := buildFinalock(t)
	first, _ := run(t, vetmod, bin, "-json", "./...")
	for range 3 {
		again, _ := run(t, vetmod, bin, "-json", "./...")
		if !bytes.Equal(first, again) {
			t.Fatalf("output differs between runs:\n%s\n---\n%s", first, again)
		}
	}
}

// TestExitCodes checks the documented exit codes: 0 clean, 1 error,
// 3 findings (standalone).
func TestExitCodes(t *testing.T) {
	bin := buildFinalock(t)
	if out, code := run(t, vetmod, bin, "./c"); code != 0 {
		t.Errorf("clean package: exit %d, want 0\n%s", code, out)
	}
	if out, code := run(t, vetmod, bin, "./nosuchpackage"); code != 1 {
		t.Errorf("missing package: exit %d, want 1\n%s", code, out)
	}
}

// TestBadPackage checks that a package that does not type-check gets one
// error line naming it, and that the other packages are still analysed.
func TestBadPackage(t *testing.T) {
	bin := buildFinalock(t)
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":     "module badmod\n\ngo 1.26\n",
		"bad/bad.go": "package bad\n\nfunc F() int { return \"x\" }\n",
		"good/good.go": "package good\n\nimport \"runtime\"\n\ntype T struct{ q chan int }\n\n" +
			"func New() *T {\n\tt := &T{q: make(chan int)}\n\truntime.SetFinalizer(t, func(t *T) { t.q <- 1 })\n\treturn t\n}\n",
	}
	writeModule(t, dir, files)
	out, code := run(t, dir, bin, "./...")
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s", code, out)
	}
	var errLines, findings int
	for _, l := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(l, "finalock: badmod/bad: ") && strings.Contains(l, "bad.go:3"):
			errLines++
		case strings.Contains(l, "good.go:9:") && strings.Contains(l, "can wait without bound"):
			findings++
		case strings.TrimSpace(l) != "":
			t.Errorf("unexpected output line: %s", l)
		}
	}
	if errLines != 1 || findings != 1 {
		t.Errorf("got %d error lines and %d findings, want 1 and 1:\n%s", errLines, findings, out)
	}
}

// writeModule writes files, by path relative to dir.
func writeModule(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTestVariant checks that a package with tests in its directory is
// reported once, as its test variant, when the tests change a finding's
// message: here they give the finalizer a second wait ("and 1 more").
func TestTestVariant(t *testing.T) {
	bin := buildFinalock(t)
	dir := t.TempDir()
	writeModule(t, dir, map[string]string{
		"go.mod": "module tvmod\n\ngo 1.26\n",
		"p/p.go": "package p\n\nimport \"runtime\"\n\nvar hook = func() {}\n\ntype T struct{ q chan int }\n\n" +
			"func New() *T {\n\tt := &T{q: make(chan int)}\n\truntime.SetFinalizer(t, func(t *T) { hook(); t.q <- 1 })\n\treturn t\n}\n",
		"p/p_test.go": "package p\n\nimport \"testing\"\n\n" +
			"func init() { hook = func() { select {} } }\n\nfunc TestNew(t *testing.T) { New() }\n",
	})
	out, code := run(t, dir, bin, "-test=true", "./...")
	if code != 3 {
		t.Errorf("exit %d, want 3\n%s", code, out)
	}
	var findings []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "p.go:11:") {
			findings = append(findings, l)
		}
	}
	if len(findings) != 1 || !strings.Contains(findings[0], "(and 1 more)") {
		t.Errorf("want one finding at p.go:11, the test variant's (and 1 more), got:\n%s", out)
	}
}
