package analyzer

import (
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Findings is the result of each pass of the suite: what it reported,
// with the paths that show each finding as data, for the drivers that
// show them (the standalone driver's JSON chains and SARIF code flows).
// go vet, nogo and golangci-lint read the diagnostics alone.
type Findings struct {
	List []Finding
}

// FindingsType is the ResultType of the suite's passes.
var FindingsType = reflect.TypeOf((*Findings)(nil))

// A Finding is one reported diagnostic and its paths: the witness first
// (from the root to the operation), then each other piece of evidence
// (where a lock is held, across what), which is also the diagnostic's
// related information.
type Finding struct {
	Pos      token.Pos
	Category string
	Message  string
	// Key identifies the finding apart from its words and positions: the
	// root and the lock or operation, for baselines and SARIF
	// fingerprints ("" when the pass gives none).
	Key   string
	Flows []Flow
}

// A Flow is one path of a finding: what it shows, and its steps. A flow
// marked Related is evidence besides the message's, and becomes the
// diagnostic's related information.
type Flow struct {
	Message string
	Steps   []Step
	Related bool
}

// A Step is one step of a path, rendered: "(*Pool).checkout", at
// pool.go:43 (File is a base name; "" when there is no position).
type Step struct {
	Text string
	File string
	Line int
}

func (s Step) String() string {
	if s.File == "" {
		return s.Text
	}
	return s.Text + " (" + s.File + ":" + strconv.Itoa(s.Line) + ")"
}

// RenderSteps joins steps with arrows.
func RenderSteps(steps []Step) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = s.String()
	}
	return strings.Join(parts, " → ")
}

// maxSteps bounds the witness chains PrependStep builds.
const maxSteps = 10

// PrependStep returns chain with h in front; a chain longer than ten steps
// keeps its first eight, an ellipsis and its last.
func PrependStep(h Step, chain []Step) []Step {
	out := append([]Step{h}, chain...)
	if len(out) > maxSteps {
		out = append(out[:maxSteps-2:maxSteps-2], Step{Text: "…"}, out[len(out)-1])
	}
	return out
}

// StepAt makes a step named text at the position pos of the pass's files.
func StepAt(fset *token.FileSet, text string, pos token.Pos) Step {
	s := Step{Text: text}
	if pos.IsValid() {
		p := fset.Position(pos)
		if base := filepath.Base(p.Filename); strings.HasSuffix(base, ".go") {
			s.File, s.Line = base, p.Line
		}
	}
	return s
}

// Steps returns the witness of op as steps, from the label of the root
// (or function) it starts at, the operation last.
func (op Op) Steps(label string) []Step {
	var out []Step
	if label != "" {
		out = append(out, Step{Text: label})
	}
	for i, h := range op.Chain {
		switch {
		case i == len(op.Chain)-1 && h.Func == "" && !h.Elided:
			out = append(out, Step{Text: op.Describe(), File: h.File, Line: h.Line})
		default:
			out = append(out, h.step())
		}
	}
	return out
}

// step returns a hop that is not the last of its chain as a step.
func (h Hop) step() Step {
	s := Step{File: h.File, Line: h.Line}
	switch {
	case h.Elided:
		s.Text = "…"
	case h.Join && h.Class != "":
		s.Text = joinWaiter(h) + ", waiting for go " + h.Func
	case h.Join:
		s.Text = "waiting for go " + h.Func
	case h.Generated:
		s.Text = h.Func + " (generated code)"
	default:
		s.Text = h.Func
	}
	return s
}

// Key identifies op for a finding's Key, with no words of a message and
// no position: its kind, and its class (or, for a wait in a call, the
// call): "send · example.com/q.H.q".
func (op Op) Key() string {
	what := op.Class
	if what == "" {
		what = op.Name
	}
	return op.Kind.String() + " · " + what
}

// KeyOf joins the parts of a finding's Key.
func KeyOf(parts ...string) string { return strings.Join(parts, " · ") }

// HolderSteps returns the path of a section that holds a lock: its
// acquisition in the holding function, then what it does under it.
func (h Held) HolderSteps() []Step {
	where := h.Where.step()
	where.Text = h.Where.Func + " takes " + ShortClass(h.Class)
	return append([]Step{where}, h.Op.Steps("")...)
}

// Report reports d through pass and records it with its flows: the
// witness first, then the holder's path and the evidence; the flows
// marked Related become d's related information (at the first step of
// each, where that step is in a file of the package). A diagnostic that a
// directive suppresses is recorded all the same; drivers match findings
// to the diagnostics they receive.
func (fs *Findings) Report(pass *analysis.Pass, d analysis.Diagnostic, key string, flows ...Flow) {
	for _, f := range flows {
		if !f.Related {
			continue
		}
		r := analysis.RelatedInformation{Message: f.Message}
		if len(f.Steps) > 0 {
			r.Pos = stepPos(pass, f.Steps[0])
		}
		d.Related = append(d.Related, r)
	}
	fs.List = append(fs.List, Finding{Pos: d.Pos, Category: d.Category, Message: d.Message, Key: key, Flows: flows})
	pass.Report(d)
}

// Match returns the finding that the diagnostic d, as a driver received
// it, was reported from: the same position and rule, and a message that
// starts with the finding's (the suite appends the rule to it).
func (fs *Findings) Match(d analysis.Diagnostic) (Finding, bool) {
	if fs == nil {
		return Finding{}, false
	}
	for _, f := range fs.List {
		if f.Pos == d.Pos && f.Category == d.Category && strings.HasPrefix(d.Message, f.Message) {
			return f, true
		}
	}
	return Finding{}, false
}

// stepPos finds the position of a step in the files of the package, or
// returns token.NoPos.
func stepPos(pass *analysis.Pass, s Step) token.Pos {
	if s.File == "" {
		return token.NoPos
	}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.Pos())
		if tf == nil || filepath.Base(tf.Name()) != s.File || s.Line < 1 || s.Line > tf.LineCount() {
			continue
		}
		return tf.LineStart(s.Line)
	}
	return token.NoPos
}

// HopSteps returns a chain of calls, whose last hop names a call too (an
// FdWrapper's), as steps.
func HopSteps(chain []Hop) []Step {
	out := make([]Step, len(chain))
	for i, h := range chain {
		out[i] = h.step()
	}
	return out
}
