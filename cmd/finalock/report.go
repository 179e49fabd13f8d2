package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

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
	// Chain is the witness that ends the message, hop by hop.
	Chain []string `json:"chain,omitempty"`
	// Fixes are the suggested fixes, each a set of edits.
	Fixes []fix `json:"fixes,omitempty"`

	EndLine   int      `json:"-"`
	EndColumn int      `json:"-"`
	hopFiles  []string // the file of each hop, where it could be resolved
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
	f.Chain = witness(msg)
	if len(f.Chain) > 1 {
		f.hopFiles = r.packageFiles(act.Package)
	}
	f.Fixes = fixesOf(act.Package, d)
	r.findings = append(r.findings, f)
}

// witness returns the chain that ends a message: the hops after the last
// ": " before the first arrow, without the rule that ends the message.
func witness(msg string) []string {
	msg, _, _, _ = analyzer.CutRuleSuffix(msg)
	arrow := strings.Index(msg, " → ")
	if arrow < 0 {
		return nil
	}
	start := strings.LastIndex(msg[:arrow], ": ")
	if start < 0 {
		return nil
	}
	return strings.Split(msg[start+2:], " → ")
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
