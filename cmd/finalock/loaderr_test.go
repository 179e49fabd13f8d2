package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestLoadErrors checks that what cannot be loaded gets one readable line
// each: no wrapping by go list's exit status, no "-" for a missing
// position, the reason an import failed (a dependency that does not build
// included), one line for a package and its test variant.
func TestLoadErrors(t *testing.T) {
	bin := buildFinalock(t)
	noModule := t.TempDir()
	writeModule(t, noModule, map[string]string{"x.go": "package x\n"})
	mod := t.TempDir()
	writeModule(t, mod, map[string]string{
		"go.mod":          "module lemod\n\ngo 1.26\n",
		"empty/README":    "no Go here\n",
		"imp/imp.go":      "package imp\n",
		"imp/imp_test.go": "package imp_test\n\nimport \"nosuch/pkg\"\n\nvar _ = pkg.X\n",
		"syn/syn.go":      "package syn\n",
		"syn/syn_test.go": "package syn\n\nfunc (\n",
		"cg/cg.go":        "package cg\n\n// #include <finalock_no_such_header.h>\nimport \"C\"\n\nfunc F() {}\n",
		"use/use.go":      "package use\n\nimport \"lemod/cg\"\n\nfunc G() { cg.F() }\n",
	})
	for _, tc := range []struct {
		dir   string
		args  []string
		lines []string
	}{
		{noModule, []string{"."}, []string{"finalock: go.mod file not found in current directory or any parent directory; see 'go help modules'"}},
		{mod, []string{"./empty"}, []string{"finalock: ./empty: no Go files in " + filepath.Join(mod, "empty")}},
		{mod, []string{"./imp"}, []string{"finalock: lemod/imp_test: imp/imp_test.go:3:8: could not import nosuch/pkg: package nosuch/pkg is not in std"}},
		{mod, []string{"./syn"}, []string{"finalock: lemod/syn: syn/syn_test.go:3:8: expected "}},
		// A dependency that does not build (its cgo header is missing),
		// not itself named: the package says why it is not analysed.
		{mod, []string{"./use"}, []string{"finalock: lemod/use: could not import lemod/cg: "}},
		{mod, []string{"./cg"}, []string{"finalock: lemod/cg: "}},
	} {
		out, errs, code := runSplit(t, tc.dir, bin, tc.args...)
		lines := strings.Split(strings.TrimSuffix(string(errs), "\n"), "\n")
		if code != exitError || len(out) != 0 || len(lines) != len(tc.lines) {
			t.Errorf("finalock %s: exit %d, stdout %q, want exit 1 and %d error lines:\n%s", strings.Join(tc.args, " "), code, out, len(tc.lines), errs)
			continue
		}
		for i, want := range tc.lines {
			if !strings.HasPrefix(lines[i], want) {
				t.Errorf("finalock %s: error line\n%s\nwant one starting with\n%s", strings.Join(tc.args, " "), lines[i], want)
			}
			for _, leak := range []string{"exit status", "stderr:", ": -: ", `invalid package name`} {
				if strings.Contains(lines[i], leak) {
					t.Errorf("finalock %s: %q in %s", strings.Join(tc.args, " "), leak, lines[i])
				}
			}
		}
	}
}

func TestLoadFailures(t *testing.T) {
	err := errors.New("err: exit status 1: stderr: go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n")
	fs := loadFailures(err)
	if len(fs) != 1 || fs[0].String() != "go.mod file not found in current directory or any parent directory; see 'go help modules'" {
		t.Errorf("loadFailures = %+v", fs)
	}
}

func TestReadable(t *testing.T) {
	p := &packages.Package{PkgPath: "m/p"}
	for _, tc := range []struct {
		pos, want string
	}{
		{"-", "m/p: boom"},
		{"", "m/p: boom"},
		{"/work/m/p/p.go:3:7", "m/p: p/p.go:3:7: boom"},
		{"/work/m/p/p.go:3", "m/p: p/p.go:3: boom"},
		{"/elsewhere/c:d.go:3:7", "m/p: /elsewhere/c:d.go:3:7: boom"},
	} {
		if got := readable(p, packages.Error{Pos: tc.pos, Msg: "boom"}, "/work/m").String(); got != tc.want {
			t.Errorf("readable at %q = %q, want %q", tc.pos, got, tc.want)
		}
	}
}
