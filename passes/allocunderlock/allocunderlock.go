package allocunderlock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"github.com/finalock/finalock/analyzer"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

//go:embed doc.go
var doc string

// Analyzer reports allocations made while holding a lock that a finalizer
// or cleanup takes, under -finalizers=inline.
var Analyzer = &analysis.Analyzer{
	Name:       "allocunderlock",
	Doc:        strings.TrimPrefix(analyzer.ExtractDoc(doc, "allocunderlock"), "allocunderlock: "),
	URL:        "https://github.com/finalock/finalock#allocunderlock",
	Requires:   []*analysis.Analyzer{analyzer.Analyzer},
	Run:        run,
	ResultType: analyzer.FindingsType,
}

// RuleAlloc is the category of the pass's diagnostics.
const RuleAlloc = "alloc"

func run(pass *analysis.Pass) (any, error) {
	fs := new(analyzer.Findings)
	inline := analyzer.Finalizers() == analyzer.Inline
	pass, flush := analyzer.Ignores(pass, inline)
	defer flush()
	if !inline {
		// The gc runtime never runs a finalizer inside an allocation.
		return fs, nil
	}
	res := pass.ResultOf[analyzer.Analyzer].(*analyzer.Result)
	if err := res.Err(); err != nil {
		return nil, err
	}
	sections := res.Sections()
	if len(sections) == 0 {
		return fs, nil
	}
	shared := sharers(pass, res)
	if len(shared) == 0 {
		return fs, nil
	}
	type report struct {
		sec *analyzer.Section
		r   sharer
	}
	var reports []report
	// outermost maps an allocation to the earliest reported lock that is
	// held across it: only that section offers the fix, which moves the
	// allocation before every lock at once.
	outermost := map[token.Pos]token.Pos{}
	for _, sec := range sections {
		if sec.Lock.Class == "" {
			continue
		}
		if r, ok := pick(shared[sec.Lock.Class], sec.Lock.Kind); ok {
			reports = append(reports, report{sec, r})
			if at, ok := outermost[sec.AllocPos]; !ok || sec.LockPos < at {
				outermost[sec.AllocPos] = sec.LockPos
			}
		}
	}
	for _, rep := range reports {
		sec, r := rep.sec, rep.r
		pos := sec.AllocPos
		if !pos.IsValid() {
			// The first allocation has no position of its own (an
			// implicit conversion to an interface): report at the lock.
			pos = sec.LockPos
		}
		if !pos.IsValid() {
			continue
		}
		d := analysis.Diagnostic{
			Pos:      pos,
			Category: RuleAlloc,
			Message:  message(pass, sec, r),
		}
		if outermost[sec.AllocPos] == sec.LockPos {
			if fix := suggestFix(pass, sec); fix != nil {
				d.SuggestedFixes = []analysis.SuggestedFix{*fix}
			}
		}
		fs.Report(pass, d, analyzer.KeyOf(sec.Func, sec.Lock.Key(), sec.First.Key()), analyzer.Flow{Message: r.label + " takes " + sec.Lock.LockName(), Steps: r.op.Steps(r.label)})
	}
	return fs, nil
}

// A sharer is a finalizer or cleanup that acquires a lock class.
type sharer struct {
	op    analyzer.Op // the acquisition; its chain starts with the root
	label string      // "finalizer (*Cursor).finalize"
	site  token.Pos   // the registration, when it is in this package
}

// sharers indexes by lock class the acquisitions reachable from the
// finalizers and cleanups of the package and of its imports. Roots of this
// package carry their registration site.
func sharers(pass *analysis.Pass, res *analyzer.Result) map[string][]sharer {
	type key struct {
		kind      analyzer.RootKind
		root      string
		file      string
		line      int
		generated bool
	}
	locals := map[key]*analyzer.Root{}
	for _, r := range res.Roots() {
		if r.Kind == analyzer.RootSignal || !r.Pos.IsValid() {
			continue
		}
		p := pass.Fset.Position(r.Pos)
		locals[key{r.Kind, r.QName, filepath.Base(p.Filename), p.Line, false}] = r
	}
	out := map[string][]sharer{}
	for _, l := range res.RootLocks() {
		if l.Op.Class == "" {
			continue
		}
		s := sharer{op: l.Op, label: fmt.Sprintf("%s %s (registered at %s)", l.Kind, l.Root, l.Site.Pos())}
		if r := locals[key{l.Kind, l.Root, l.Site.File, l.Site.Line, l.Site.Generated}]; r != nil {
			s.label, s.site = r.Label(), r.Pos
		}
		out[l.Op.Class] = append(out[l.Op.Class], s)
	}
	return out
}

// pick chooses the witness for a section holding a lock of kind held: an
// acquisition that surely waits for the holder (a write lock, or any lock
// when the section holds the write lock) before one that waits only when
// a writer is queued, then a root of this package, then the shortest
// chain, then the smallest text.
func pick(cands []sharer, held analyzer.Kind) (sharer, bool) {
	var best sharer
	found := false
	rank := func(s sharer) [3]int {
		r := [3]int{0, 0, len(s.op.Chain)}
		if held == analyzer.KindRLock && s.op.Kind == analyzer.KindRLock {
			r[0] = 1
		}
		if !s.site.IsValid() {
			r[1] = 1
		}
		return r
	}
	for _, c := range cands {
		if !found {
			best, found = c, true
			continue
		}
		rc, rb := rank(c), rank(best)
		if rc != rb {
			if less(rc, rb) {
				best = c
			}
			continue
		}
		if c.op.Witness(c.label) < best.op.Witness(best.label) {
			best = c
		}
	}
	return best, found
}

func less(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// message renders the diagnostic: what can happen, how, then the witness.
func message(pass *analysis.Pass, sec *analyzer.Section, r sharer) string {
	lock := sec.Lock.LockName()
	var b strings.Builder
	b.WriteString(allocName(pass, sec))
	fmt.Fprintf(&b, " while holding %s", lock)
	if at := short(pass, sec.LockPos); at != "" {
		fmt.Fprintf(&b, " (locked at %s)", at)
	}
	fmt.Fprintf(&b, " can deadlock under finalizers=inline: the collector may run %s", r.label)
	if at := short(pass, r.site); at != "" {
		fmt.Fprintf(&b, " (registered at %s)", at)
	}
	b.WriteString(" inside this allocation, and it ")
	if sec.Lock.Kind == analyzer.KindRLock && r.op.Kind == analyzer.KindRLock {
		fmt.Fprintf(&b, "read-locks %s too, which waits as soon as a writer is queued (sync.RWMutex read locks are not reentrant)", lock)
	} else {
		fmt.Fprintf(&b, "takes %s", lock)
	}
	switch n := sec.Allocs - 1; {
	case n <= 0:
		b.WriteString("; no other allocation in this section")
	case n == 1:
		b.WriteString("; 1 other allocation in this section")
	default:
		fmt.Fprintf(&b, "; %d other allocations in this section", n)
	}
	fmt.Fprintf(&b, ": %s", r.op.Witness(r.label))
	return b.String()
}

// allocName names the section's first allocation: the allocation itself
// when it is in the function, or the calls that lead to it.
func allocName(pass *analysis.Pass, sec *analyzer.Section) string {
	if len(sec.First.Chain) > 1 {
		return "allocation through " + analyzer.Render(sec.First.Hops())
	}
	if sec.AllocPos.IsValid() {
		// The SSA form turns make([]T, n, c) with constant c into new([c]T)
		// and []T{...} into new([len]T): name what the user wrote.
		if e := sourceAllocAt(pass, sec.AllocPos); e != nil {
			if s := types.ExprString(e); len(s) <= 60 {
				return s
			}
		}
	}
	if sec.First.Name != "" {
		return sec.First.Name
	}
	return "allocation"
}

// sourceAllocAt returns the allocating expression whose position the
// engine recorded: a call of make or new (at its parenthesis), or a
// composite literal with its type (at its brace), with the & before it.
func sourceAllocAt(pass *analysis.Pass, pos token.Pos) ast.Expr {
	f := fileOf(pass, pos)
	if f == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(f, pos, pos)
	e, _ := allocExpr(pass.TypesInfo, path, pos)
	return e
}

// builtinName returns the name of the builtin function call calls, or "".
func builtinName(info *types.Info, call *ast.CallExpr) string {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if b, ok := info.Uses[id].(*types.Builtin); ok {
		return b.Name()
	}
	return ""
}

func fileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// short renders pos as "file.go:line", or "" for no position.
func short(pass *analysis.Pass, pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}
