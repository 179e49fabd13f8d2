package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
)

// A finding is one diagnostic of finalock's JSON output.
type finding struct {
	Package  string `json:"package"`
	Analyzer string `json:"analyzer"`
	Category string `json:"category"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Message  string `json:"message"`
}

// A declRange is the line range of a top-level declaration.
type declRange struct {
	Name       string // function (with receiver) or first declared name
	Start, End int
}

// enclosingDecl parses the Go file at filename and returns the top-level
// declaration whose lines include line.
func enclosingDecl(filename string, line int) (declRange, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, nil, parser.SkipObjectResolution)
	if err != nil {
		return declRange{}, err
	}
	for _, d := range f.Decls {
		start, end := fset.Position(d.Pos()).Line, fset.Position(d.End()).Line
		if start <= line && line <= end {
			return declRange{Name: declName(d), Start: start, End: end}, nil
		}
	}
	return declRange{}, fmt.Errorf("%s:%d is not inside a top-level declaration", filepath.Base(filename), line)
}

// declName names a declaration for the report: (*T).m, f, or the first
// name of a var, const or type declaration.
func declName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil && len(d.Recv.List) == 1 {
			return "(" + types(d.Recv.List[0].Type) + ")." + d.Name.Name
		}
		return d.Name.Name
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.ValueSpec:
				if len(s.Names) > 0 {
					return d.Tok.String() + " " + s.Names[0].Name
				}
			case *ast.TypeSpec:
				return "type " + s.Name.Name
			}
		}
		return d.Tok.String()
	}
	return "?"
}

// types renders a receiver type: T, *T, T[K] shown as T.
func types(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return "*" + types(e.X)
	case *ast.Ident:
		return e.Name
	case *ast.IndexExpr:
		return types(e.X)
	case *ast.IndexListExpr:
		return types(e.X)
	case *ast.ParenExpr:
		return types(e.X)
	}
	return "?"
}

// inDecl returns the findings that lie in filename within the lines of d,
// in their order.
func inDecl(findings []finding, filename string, d declRange) []finding {
	var out []finding
	want := cleanPath(filename)
	for _, f := range findings {
		if f.Line >= d.Start && f.Line <= d.End && cleanPath(f.File) == want {
			out = append(out, f)
		}
	}
	return out
}

// cleanPath makes file names comparable: cleaned, and with symbolic links
// resolved when the file exists.
func cleanPath(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// relevant reports whether a finding counts for a case: the case's pass,
// and its rule when the case names one.
func relevant(c *labelledCase, f finding) bool {
	return f.Analyzer == c.Pass && (c.Rule == "" || f.Category == c.Rule)
}

// Outcomes of a scored case.
const (
	outTP    = "TP"
	outFP    = "FP"
	outFN    = "FN"
	outTN    = "TN"
	outSkip  = "skip"
	outError = "error"
)

// score returns the outcome of a case given the findings in its
// declaration: "report" is found when one of them is relevant, "clean"
// holds when none is.
func score(c *labelledCase, expect string, found []finding) (got, outcome string) {
	got = verdictClean
	for _, f := range found {
		if relevant(c, f) {
			got = verdictReport
			break
		}
	}
	switch {
	case expect == verdictSkip:
		return got, outSkip
	case expect == verdictReport && got == verdictReport:
		return got, outTP
	case expect == verdictReport:
		return got, outFN
	case got == verdictReport:
		return got, outFP
	default:
		return got, outTN
	}
}
