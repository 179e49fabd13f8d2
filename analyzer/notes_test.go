package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// ring returns the source of a package whose functions f0…f(n-1) call
// their two neighbours in a ring, each taking a lock of its own: the
// shortest witness of each lock travels one function per fixpoint round
// against the order the functions are summarised in, so a ring longer
// than twice the round limit does not settle.
func ring(n int) string {
	var b strings.Builder
	b.WriteString("// Package ring has mutually recursive functions.\npackage ring\n\nimport \"sync\"\n\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "var mu%d sync.Mutex\n\nfunc f%d(n int) {\n\tmu%d.Lock()\n\tmu%d.Unlock()\n\tif n > 0 {\n\t\tf%d(n - 1)\n\t\tf%d(n - 1)\n\t}\n}\n\n",
			i, i, i, i, (i+1)%n, (i+n-1)%n)
	}
	return b.String()
}

// notesFor analyses src as package pkg and returns the engine's notes.
func notesFor(t *testing.T, pkg, src string) []string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "src", pkg, pkg+".go")
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, r := range analysistest.Run(lenient{t}, dir, analyzer.Analyzer, pkg) {
		if res, ok := r.Result.(*analyzer.Result); ok {
			notes = append(notes, res.Notes()...)
		}
	}
	return notes
}

// TestNoteRounds checks that a recursive cycle whose summaries have not
// settled at the round limit says so, naming a function of the cycle,
// and that a short cycle says nothing.
func TestNoteRounds(t *testing.T) {
	notes := notesFor(t, "ring", ring(12))
	found := false
	for _, n := range notes {
		if strings.Contains(n, "not settled after") && strings.Contains(n, "mutually recursive") {
			found = true
		}
	}
	if !found {
		t.Errorf("no note for a ring of 12 functions; notes: %q", notes)
	}
	if notes := notesFor(t, "ring", ring(2)); len(notes) != 0 {
		t.Errorf("notes for a ring of 2 functions: %q", notes)
	}
}

// nest returns the source of a function that takes n locks and releases
// each inside one of n nested loops: the must-held sets at the loop heads
// shrink one lock per pass, more passes than the dataflow step cap allows
// for a function of that size.
func nest(n int) string {
	var b strings.Builder
	b.WriteString("// Package nest has deeply nested loops.\npackage nest\n\nimport \"sync\"\n\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "var mu%d sync.Mutex\n", i)
	}
	b.WriteString("\nfunc f(xs []int) {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tmu%d.Lock()\n", i)
	}
	for i := 0; i < n; i++ {
		tabs := strings.Repeat("\t", i+1)
		fmt.Fprintf(&b, "%sfor _, x%d := range xs {\n%s\tif x%d > %d {\n%s\t\tmu%d.Unlock()\n%s\t}\n", tabs, i, tabs, i, i, tabs, i, tabs)
	}
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "%s}\n", strings.Repeat("\t", i+1))
	}
	b.WriteString("}\n")
	return b.String()
}

// TestNoteDataflowCap checks that a function whose held locks have not
// settled at the dataflow step cap says so, naming the function, and that
// a shallow one says nothing.
func TestNoteDataflowCap(t *testing.T) {
	notes := notesFor(t, "nest", nest(14))
	found := false
	for _, n := range notes {
		if strings.HasPrefix(n, "f: held locks not settled after") {
			found = true
		}
	}
	if !found {
		t.Errorf("no note for 14 nested loops; notes: %q", notes)
	}
	if notes := notesFor(t, "nest", nest(2)); len(notes) != 0 {
		t.Errorf("notes for 2 nested loops: %q", notes)
	}
}

// wide returns the source of a finalizer that captures a slice of n
// other objects, none of which points back to the object.
func wide(n int) string {
	var b strings.Builder
	b.WriteString("// Package wide has a finalizer that captures many objects.\npackage wide\n\nimport \"runtime\"\n\ntype T struct{ p *T }\n\nfunc f() *T {\n\tt := &T{}\n\tall := []*T{\n")
	for range n {
		b.WriteString("\t\t{},\n")
	}
	b.WriteString("\t}\n\truntime.SetFinalizer(t, func(*T) { _ = all })\n\treturn t\n}\n")
	return b.String()
}

// TestNoteReachLimit checks that a keepalive search that stops at its
// limit says so, and that a small one says nothing.
func TestNoteReachLimit(t *testing.T) {
	found := false
	for _, n := range notesFor(t, "wide", wide(3000)) {
		if strings.HasPrefix(n, "wide.go:") && strings.Contains(n, "keepalive: the search for what the registration keeps reachable stopped") && strings.Contains(n, "(limit)") {
			found = true
		}
	}
	if !found {
		t.Error("no note for a finalizer that captures 3000 objects")
	}
	if notes := notesFor(t, "wide", wide(10)); len(notes) != 0 {
		t.Errorf("notes for a finalizer that captures 10 objects: %q", notes)
	}
}
