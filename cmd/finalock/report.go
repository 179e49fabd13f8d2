package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

// A finding is one diagnostic, with its position resolved.
type finding struct {
	Package  string `json:"package"`
	Analyzer string `json:"analyzer"`
	Category string `json:"category"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
}

// A report holds the findings of one run, sorted and without duplicates
// (a package and its test variant report the same finding twice).
type report struct {
	findings []finding
	seen     map[finding]bool
}

func (r *report) add(act *checker.Action, d analysis.Diagnostic) {
	if !d.Pos.IsValid() {
		return
	}
	pos := act.Package.Fset.Position(d.Pos)
	f := finding{
		Package: act.Package.PkgPath, Analyzer: act.Analyzer.Name, Category: d.Category,
		File: pos.Filename, Line: pos.Line, Column: pos.Column, Message: d.Message,
	}
	key := f
	key.Package = ""
	if r.seen == nil {
		r.seen = map[finding]bool{}
	}
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	r.findings = append(r.findings, f)
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

func (r *report) write(w io.Writer, format string) error {
	if format == "json" {
		out := r.findings
		if out == nil {
			out = []finding{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "\t")
		return enc.Encode(out)
	}
	for _, f := range r.findings {
		if _, err := fmt.Fprintf(w, "%s:%d:%d: %s\n", f.File, f.Line, f.Column, f.Message); err != nil {
			return err
		}
	}
	return nil
}
