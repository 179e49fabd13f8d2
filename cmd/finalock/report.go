package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// A finding is one diagnostic, with its position resolved. Its Message
// is the diagnostic's without the rule that ends it (Analyzer and
// Category say the rule); the text output puts the rule back.
type finding struct {
	Package  string `json:"package"`
	Analyzer string `json:"analyzer"`
	Category string `json:"category"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
	// Chain is the witness, hop by hop: from the root to the operation.
	Chain []string `json:"chain,omitempty"`
	// Related is the other evidence: where a lock is held and across
	// what, the other waits.
	Related []related `json:"related,omitempty"`
	// Fixes are the suggested fixes, each a set of edits.
	Fixes []fix `json:"fixes,omitempty"`

	EndLine   int             `json:"-"`
	EndColumn int             `json:"-"`
	key       string          // the pass's identity of the finding, if it gives one
	flows     []analyzer.Flow // the witness, the holder's path and the evidence
	hopFiles  []string        // the files a step's file name may be
}

// A related is a piece of evidence of a finding: what it shows, where it
// starts, and its steps.
type related struct {
	Message string   `json:"message"`
	File    string   `json:"file,omitempty"`
	Line    int      `json:"line,omitempty"`
	Chain   []string `json:"chain,omitempty"`
}

// resolve returns the full path of the chain's file called base.
func (f finding) resolve(base string) string {
	for _, file := range f.hopFiles {
		if filepath.Base(file) == base {
			return file
		}
	}
	return ""
}

// A report holds the findings of one run, sorted and without duplicates
// (a package and its test variant report the same finding twice), and the
// packages that could not be analysed.
type report struct {
	findings   []finding
	failures   []failure
	seen       map[string]bool
	cwd        string                         // where finalock runs: text output is relative to it
	moduleRoot string                         // the main module's directory
	files      map[*packages.Package][]string // files of a package and its dependencies
}

func (r *report) add(act *checker.Action, d analysis.Diagnostic) {
	if !d.Pos.IsValid() {
		return
	}
	pos := act.Package.Fset.Position(d.Pos)
	msg, _, _, _ := analyzer.CutRuleSuffix(d.Message)
	f := finding{
		Package: act.Package.PkgPath, Analyzer: act.Analyzer.Name, Category: d.Category,
		File: pos.Filename, Line: pos.Line, Column: pos.Column, Message: msg,
		EndLine: pos.Line, EndColumn: pos.Column,
	}
	if d.End.IsValid() {
		end := act.Package.Fset.Position(d.End)
		f.EndLine, f.EndColumn = end.Line, end.Column
	} else if tf := act.Package.Fset.File(d.Pos); tf != nil && pos.Line < tf.LineCount() {
		// No end given: the region runs to the end of the line.
		f.EndColumn = int(tf.LineStart(pos.Line+1) - tf.LineStart(pos.Line))
	}
	key := fmt.Sprintf("%s:%d:%d %s %s", f.File, f.Line, f.Column, f.Analyzer, f.Message)
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	if fs, ok := act.Result.(*analyzer.Findings); ok {
		if pf, ok := fs.Match(d); ok {
			f.key, f.flows = pf.Key, pf.Flows
		}
	}
	if len(f.flows) > 0 {
		f.hopFiles = r.packageFiles(act.Package)
		f.Chain = stepStrings(f.flows[0].Steps)
		for _, fl := range f.flows[1:] {
			if !fl.Related {
				continue
			}
			rel := related{Message: fl.Message, Chain: stepStrings(fl.Steps)}
			if len(fl.Steps) > 0 && fl.Steps[0].File != "" {
				rel.File, rel.Line = f.resolve(fl.Steps[0].File), fl.Steps[0].Line
			}
			f.Related = append(f.Related, rel)
		}
	}
	f.Fixes = fixesOf(act.Package, d)
	r.findings = append(r.findings, f)
}

// stepStrings renders steps one by one.
func stepStrings(steps []analyzer.Step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.String()
	}
	return out
}

// packageFiles lists the files of p and of its dependencies, p's first,
// then breadth first, so that a hop's file name resolves to the nearest
// package that has it.
func (r *report) packageFiles(p *packages.Package) []string {
	if files, ok := r.files[p]; ok {
		return files
	}
	var files []string
	seen := map[*packages.Package]bool{p: true}
	queue := []*packages.Package{p}
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		files = append(files, q.CompiledGoFiles...)
		paths := make([]string, 0, len(q.Imports))
		for path := range q.Imports {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			if dep := q.Imports[path]; !seen[dep] {
				seen[dep] = true
				queue = append(queue, dep)
			}
		}
	}
	if r.files == nil {
		r.files = map[*packages.Package][]string{}
	}
	r.files[p] = files
	return files
}

func (r *report) sort() {
	sort.Slice(r.findings, func(i, j int) bool {
		a, b := r.findings[i], r.findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Analyzer != b.Analyzer {
			return a.Analyzer < b.Analyzer
		}
		return a.Message < b.Message
	})
}

// drop removes the findings at the indexes of gone.
func (r *report) drop(gone map[int]bool) {
	if len(gone) == 0 {
		return
	}
	kept := r.findings[:0]
	for i, f := range r.findings {
		if !gone[i] {
			kept = append(kept, f)
		}
	}
	r.findings = kept
}

func (r *report) write(w io.Writer, format string) error {
	switch format {
	case "sarif":
		return r.writeSARIF(w)
	case "json":
		out := r.findings
		if out == nil {
			out = []finding{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "\t")
		return enc.Encode(out)
	}
	for _, f := range r.findings {
		if _, err := fmt.Fprintf(w, "%s:%d:%d: %s%s\n", relative(f.File, r.cwd), f.Line, f.Column, f.Message, analyzer.RuleSuffix(f.Analyzer, f.Category)); err != nil {
			return err
		}
	}
	return nil
}
