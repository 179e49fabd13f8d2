package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A failure is a package that could not be loaded, type-checked or
// analysed: one error line on standard error, one notification in SARIF.
type failure struct {
	Package string // "" when no package could be loaded at all
	File    string // "" when the error has no position
	Line    int
	Column  int
	Message string
}

// String is the failure's error line, without the "finalock: " prefix.
func (f failure) String() string {
	var b strings.Builder
	if f.Package != "" {
		b.WriteString(f.Package + ": ")
	}
	if f.File != "" {
		b.WriteString(f.File)
		if f.Line > 0 {
			fmt.Fprintf(&b, ":%d", f.Line)
			if f.Column > 0 {
				fmt.Fprintf(&b, ":%d", f.Column)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(f.Message)
	return b.String()
}

// goListError matches the error packages.Load returns when go list fails:
// the exit status and the stderr of the go command wrap its message.
var goListError = regexp.MustCompile(`^(?:err: )?exit status \d+: stderr: `)

// loadFailures turns the error of packages.Load itself (no module, a bad
// pattern) into failures: the go command's message, without the wrapping.
func loadFailures(err error) []failure {
	msg := goListError.ReplaceAllString(err.Error(), "")
	var fs []failure
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "go: "))
		if line != "" {
			fs = append(fs, failure{Message: line})
		}
	}
	return fs
}

// packageFailures returns a failure for each package of pkgs that did not
// load or type-check, and the packages that did. A package and its test
// variant that fail the same way get one failure; a package that only
// fails because one it imports does (a test main) gets none.
func packageFailures(pkgs []*packages.Package, cwd string) ([]failure, []*packages.Package) {
	var (
		fs   []failure
		good []*packages.Package
		seen = map[string]bool{}
	)
	for _, p := range pkgs {
		if len(p.Errors) == 0 && !p.IllTyped {
			good = append(good, p)
			continue
		}
		if len(p.Errors) == 0 {
			if !importsFailed(p) {
				fs = append(fs, failure{Package: p.PkgPath, Message: "does not type-check"})
			}
			continue
		}
		f := readable(p, p.Errors[0], cwd)
		// The same place fails the same way in every variant, though the
		// parser of go list and of the type checker may word it apart.
		key := f.File + ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
		if f.File == "" {
			key = f.Message
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if n := len(p.Errors) - 1; n > 0 {
			f.Message += fmt.Sprintf(" (and %d more errors)", n)
		}
		fs = append(fs, f)
	}
	return fs, good
}

// importsFailed reports whether a package that p imports has errors.
func importsFailed(p *packages.Package) bool {
	failed := false
	packages.Visit([]*packages.Package{p}, nil, func(q *packages.Package) {
		if q != p && len(q.Errors) > 0 {
			failed = true
		}
	})
	return failed
}

// couldNotImport matches the type checker's error for an import that did
// not load, whose reason the imported package's own error gives better.
var couldNotImport = regexp.MustCompile(`^could not import (\S+) \(.*\)$`)

// readable returns err of package p as a failure: its position without
// the "-" go list gives when there is none, relative to cwd, and for an
// import that did not load, that import's own error.
func readable(p *packages.Package, err packages.Error, cwd string) failure {
	f := failure{Package: p.PkgPath, Message: err.Msg}
	if m := couldNotImport.FindStringSubmatch(err.Msg); m != nil {
		if dep := p.Imports[m[1]]; dep != nil && len(dep.Errors) > 0 {
			f.Message = "could not import " + m[1] + ": " + readable(dep, dep.Errors[0], cwd).Message
		}
	}
	pos := err.Pos
	if pos == "" || pos == "-" {
		return f
	}
	// file:line:col, file:line or file; the file may contain colons.
	file, line, col := pos, 0, 0
	if i := strings.LastIndexByte(file, ':'); i > 0 {
		if n, err := strconv.Atoi(file[i+1:]); err == nil {
			file, line = file[:i], n
			if j := strings.LastIndexByte(file, ':'); j > 0 {
				if m, err := strconv.Atoi(file[j+1:]); err == nil {
					file, line, col = file[:j], m, n
				}
			}
		}
	}
	f.File, f.Line, f.Column = relative(file, cwd), line, col
	return f
}

// relative returns file relative to dir when it is inside dir.
func relative(file, dir string) string {
	if dir == "" || !filepath.IsAbs(file) {
		return file
	}
	if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return file
}
