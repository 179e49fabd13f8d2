package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// installmod is an application module whose packages call constructors
// of another module, example.com/installdep (../installmoddep, by a
// replace directive), that register finalizers: the dependency's roots
// are reported in the application, at the calls that install them.
var installmod = filepath.Join("..", "..", "testdata", "src", "installmod")

// hookedMain is the file of installmod whose finding only the whole
// program shows: the dependency's finalizer waits through a Context that
// only the program's main gives it.
const hookedMain = "cmd/hooked/main.go"

// TestInstalledRoots runs installmod through go vet -vettool, the
// standalone driver's modular mode and its whole-program mode: each
// reports the dependency's hazardous roots at the application's first
// call that installs each, with the dependency's path in the witness,
// and nothing where the finalizer's waits are bounded, where no call
// installs it, nor at calls of the application's own wrappers; the
// whole-program mode adds the root whose wait comes with the program's
// wiring. The output is the same from one run to the next.
func TestInstalledRoots(t *testing.T) {
	bin := buildFinalock(t)
	wants := readWants(t, installmod)
	var modular []want
	for _, w := range wants {
		if w.file != hookedMain {
			modular = append(modular, w)
		}
	}
	if len(modular) == 0 || len(modular) == len(wants) {
		t.Fatalf("%s: %d wants, %d of them outside %s", installmod, len(wants), len(modular), hookedMain)
	}

	out, code := run(t, installmod, "go", "vet", "-vettool="+bin, "./...")
	if code != 1 {
		t.Errorf("go vet: exit %d, want 1\n%s", code, out)
	}
	check(t, "go vet", modular, parseText(t, installmod, out))

	out, code = run(t, installmod, bin, "-modular", "./...")
	if code != exitFindings {
		t.Errorf("finalock -modular: exit %d, want %d\n%s", code, exitFindings, out)
	}
	check(t, "finalock -modular", modular, parseText(t, installmod, out))

	out, code = run(t, installmod, bin, "./...")
	if code != exitFindings {
		t.Errorf("finalock: exit %d, want %d\n%s", code, exitFindings, out)
	}
	check(t, "finalock", wants, parseText(t, installmod, out))

	// The JSON chain of each installed root goes from the call in the
	// application into the dependency's files.
	first, _ := run(t, installmod, bin, "-json", "./...")
	var diags []struct {
		File, Message string
		Chain         []string
	}
	if err := json.Unmarshal(first, &diags); err != nil {
		t.Fatalf("finalock -json: %v\n%s", err, first)
	}
	for _, d := range diags {
		if !strings.Contains(d.Message, "installed by") {
			continue
		}
		chain := strings.Join(d.Chain, " ")
		if len(d.Chain) < 3 || !strings.Contains(chain, "runtime.SetFinalizer (") && !strings.Contains(chain, "signal.Notify (") {
			t.Errorf("%s: chain without the dependency's registration: %q", d.File, d.Chain)
		}
	}
	for i := 0; i < 2; i++ {
		if again, _ := run(t, installmod, bin, "-json", "./..."); !bytes.Equal(first, again) {
			t.Fatalf("finalock -json differs from one run to the next:\n%s\n---\n%s", first, again)
		}
	}
}
