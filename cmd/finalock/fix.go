package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// A fix is one suggested fix of a finding: what it does, and its edits.
type fix struct {
	Message string `json:"message"`
	Edits   []edit `json:"edits"`
}

// An edit replaces the bytes of File from Start to End with New.
type edit struct {
	File  string   `json:"file"`
	Start position `json:"start"`
	End   position `json:"end"`
	New   string   `json:"new"`
}

// A position is a place in a file: line and column from 1 (the column
// counts bytes, as go/token does), and the byte offset from 0.
type position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

// fixesOf resolves the suggested fixes of d. A fix with an edit outside
// the package's own source files (in a file that cgo generates, or behind
// a //line directive) is left out: there is no file to apply it to.
func fixesOf(p *packages.Package, d analysis.Diagnostic) []fix {
	var fixes []fix
next:
	for _, sf := range d.SuggestedFixes {
		fx := fix{Message: sf.Message}
		for _, te := range sf.TextEdits {
			end := te.End
			if !end.IsValid() {
				end = te.Pos
			}
			from, to := p.Fset.PositionFor(te.Pos, false), p.Fset.PositionFor(end, false)
			if !slices.Contains(p.GoFiles, from.Filename) || to.Filename != from.Filename {
				continue next
			}
			fx.Edits = append(fx.Edits, edit{
				File:  from.Filename,
				Start: position{from.Line, from.Column, from.Offset},
				End:   position{to.Line, to.Column, to.Offset},
				New:   string(te.NewText),
			})
		}
		if len(fx.Edits) > 0 {
			fixes = append(fixes, fx)
		}
	}
	return fixes
}

// plan chooses the edits to make: the first fix of each finding, in the
// findings' order, unless it overlaps an edit already chosen (an equal
// edit is made once). It returns the edits by file, sorted, the indexes
// of the findings whose fix is in, and a line for each fix left out.
func plan(findings []finding) (map[string][]edit, map[int]bool, []string) {
	byFile := map[string][]edit{}
	fixed := map[int]bool{}
	var problems []string
	for i, f := range findings {
		if len(f.Fixes) == 0 {
			continue
		}
		fx := f.Fixes[0]
		var add []edit
		ok := true
		for _, e := range fx.Edits {
			dup := false
			for _, o := range append(byFile[e.File], add...) {
				if o == e {
					dup = true
					break
				}
				if overlap(o, e) {
					ok = false
				}
			}
			if !dup {
				add = append(add, e)
			}
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("%s:%d:%d: fix %q conflicts with another fix: run finalock -fix again", f.File, f.Line, f.Column, fx.Message))
			continue
		}
		for _, e := range add {
			byFile[e.File] = append(byFile[e.File], e)
		}
		fixed[i] = true
	}
	for _, edits := range byFile {
		sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start.Offset < edits[j].Start.Offset })
	}
	return byFile, fixed, problems
}

// overlap reports whether two edits touch the same bytes, or insert at
// the same place (which of the two goes first is not known).
func overlap(a, b edit) bool {
	if a.File != b.File {
		return false
	}
	if a.Start.Offset == b.Start.Offset {
		return true
	}
	return a.Start.Offset < b.End.Offset && b.Start.Offset < a.End.Offset
}

// apply returns src with the edits made; the edits are sorted and do not
// overlap.
func apply(src []byte, edits []edit) ([]byte, error) {
	var out []byte
	at := 0
	for _, e := range edits {
		if e.Start.Offset < at || e.End.Offset > len(src) || e.End.Offset < e.Start.Offset {
			return nil, fmt.Errorf("%s: the file changed since it was analysed", e.File)
		}
		out = append(out, src[at:e.Start.Offset]...)
		out = append(out, e.New...)
		at = e.End.Offset
	}
	return append(out, src[at:]...), nil
}

// applyFixes applies the planned fixes to the files. It returns the
// indexes of the findings it fixed, the number of files it changed, and a
// line for each problem.
func applyFixes(findings []finding) (map[int]bool, int, []string) {
	byFile, fixed, problems := plan(findings)
	files := 0
	for _, name := range sortedKeys(byFile) {
		info, err := os.Stat(name)
		if err == nil {
			var src, out []byte
			if src, err = os.ReadFile(name); err == nil {
				if out, err = apply(src, byFile[name]); err == nil {
					err = os.WriteFile(name, out, info.Mode().Perm())
				}
			}
		}
		if err != nil {
			problems = append(problems, err.Error())
			for i, f := range findings {
				for _, e := range firstFixEdits(f) {
					if e.File == name {
						delete(fixed, i)
					}
				}
			}
			continue
		}
		files++
	}
	return fixed, files, problems
}

func firstFixEdits(f finding) []edit {
	if len(f.Fixes) == 0 {
		return nil
	}
	return f.Fixes[0].Edits
}

// writeDiff writes the planned fixes as a unified diff, file by file, with
// paths relative to cwd, and changes nothing. It returns a line for each
// fix left out.
func writeDiff(w io.Writer, findings []finding, cwd string) ([]string, error) {
	byFile, _, problems := plan(findings)
	for _, name := range sortedKeys(byFile) {
		src, err := os.ReadFile(name)
		if err != nil {
			return problems, err
		}
		out, err := apply(src, byFile[name])
		if err != nil {
			return problems, err
		}
		rel := filepath.ToSlash(relative(name, cwd))
		if _, err := io.WriteString(w, unified("a/"+rel, "b/"+rel, string(src), string(out))); err != nil {
			return problems, err
		}
	}
	return problems, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
