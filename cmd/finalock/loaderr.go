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
// variant that fail the same way get one failure. A package that only
// fails because one it imports does gets none when that import is one of
// pkgs, which says why (a test main and its test variant), and otherwise
// one that names the import and its error (a dependency whose cgo
// headers are missing).
func packageFailures(pkgs []*packages.Package, cwd string) ([]failure, []*packages.Package) {
	var (
		fs    []failure
		good  []*packages.Package
		seen  = map[string]bool{}
		roots = map[*packages.Package]bool{}
	)
	for _, p := range pkgs {
		roots[p] = true
	}
	for _, p := range pkgs {
		if len(p.Errors) == 0 && !p.IllTyped {
			good = append(good, p)
			continue
		}
		if len(p.Errors) == 0 {
			deps := failedImports(p)
			dep := firstNotIn(deps, roots)
			switch {
			case len(deps) == 0:
				fs = append(fs, failure{Package: p.PkgPath, Message: "does not type-check"})
			case dep != nil && !seen[p.PkgPath+" "+dep.PkgPath]:
				seen[p.PkgPath+" "+dep.PkgPath] = true
				f := readable(dep, dep.Errors[0], cwd)
				f.Package = p.PkgPath
				f.Message = "could not import " + dep.PkgPath + ": " + f.Message
				fs = append(fs, f)
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

// failedImports returns the packages that p imports, directly or not,
// that have errors, those deepest in the import graph first.
func failedImports(p *packages.Package) []*packages.Package {
	var failed []*packages.Package
	packages.Visit([]*packages.Package{p}, nil, func(q *packages.Package) {
		if q != p && len(q.Errors) > 0 {
			failed = append(failed, q)
		}
	})
	return failed
}

// firstNotIn returns the first of deps when none of them is in roots,
// whose own failures already say why p fails; else nil.
func firstNotIn(deps []*packages.Package, roots map[*packages.Package]bool) *packages.Package {
	for _, d := range deps {
		if roots[d] {
			return nil
		}
	}
	if len(deps) == 0 {
		return nil
	}
	return deps[0]
}

// firstLine returns the first line of a message that says something:
// cgo's errors start with a "# package" line and end with the source
// they quote.
func firstLine(msg string) string {
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return strings.TrimSpace(msg)
}

// couldNotImport matches the type checker's error for an import that did
// not load, whose reason the imported package's own error gives better.
var couldNotImport = regexp.MustCompile(`^could not import (\S+) \(.*\)$`)

// readable returns err of package p as a failure: its position without
// the "-" go list gives when there is none, relative to cwd, and for an
// import that did not load, that import's own error.
func readable(p *packages.Package, err packages.Error, cwd string) failure {
	f := failure{Package: p.PkgPath, Message: firstLine(err.Msg)}
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
