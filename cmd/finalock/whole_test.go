package main

import (
	"path/filepath"
	"reflect"
	"testing"
)

// wholemod is a module whose hazard crosses three packages through an
// interface: gfx holds its mutex across a call of a Context, and only the
// program (app) makes that Context a mainthread.Loop, whose Do waits.
var wholemod = filepath.Join("..", "..", "testdata", "src", "wholemod")

// TestWholeProgram shows what the whole-program mode adds: the finding
// behind the interface call, with its dynamic hop marked, where the
// program gives gfx a Context that waits; nothing where it gives one that
// does not, where a library's init registers one, nor in the modular
// mode, which cannot see the implementation; and on a module without such
// calls, the modular mode's findings exactly.
func TestWholeProgram(t *testing.T) {
	bin := buildFinalock(t)
	wants := readWants(t, wholemod)
	if len(wants) == 0 {
		t.Fatalf("no wants in %s", wholemod)
	}

	out, code := run(t, wholemod, bin, "./...")
	if code != exitFindings {
		t.Errorf("finalock ./...: exit %d, want %d\n%s", code, exitFindings, out)
	}
	check(t, "finalock", wants, parseText(t, wholemod, out))

	// direct gives gfx a Context that does not wait; plugged links a
	// library whose init registers one that does, which is that library's
	// doing in the binaries that link it, not the program's wiring.
	for _, args := range [][]string{{"./gfx", "./direct"}, {"./gfx", "./plugged"}, {"-modular", "./..."}} {
		if out, code := run(t, wholemod, bin, args...); code != exitClean || len(out) != 0 {
			t.Errorf("finalock %v: exit %d, want %d, and no output\n%s", args, code, exitClean, out)
		}
	}

	whole, modular := standaloneJSON(t, bin, vetmod), standaloneJSON(t, bin, vetmod, "-modular")
	if !reflect.DeepEqual(whole, modular) {
		t.Errorf("on %s the whole-program mode reports\n%v\nand the modular one\n%v", vetmod, whole, modular)
	}
}
