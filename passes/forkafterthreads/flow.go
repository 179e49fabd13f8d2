package forkafterthreads

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/finalock/finalock/analyzer"
)

// A state is what is known at one point of a function, following its
// statements in order.
type state struct {
	// started is the first goroutine start that may have run before this
	// point (on some path), or nil.
	started *start
	// lock says whether syscall.ForkLock is certainly held (on every
	// path).
	lock forkLock
}

// A start is a goroutine start: the witness chain that leads to it, and
// the calls of the package's functions made after it on the way to the
// current function.
type start struct {
	chain []analyzer.Step
	then  []analyzer.Step
}

// render shows a start: "go flush (a.go:3), then reexec (a.go:4)".
func (s *start) render() string {
	out := analyzer.RenderSteps(s.chain)
	for _, t := range s.then {
		out += ", then " + t.String()
	}
	return out
}

// maxThen bounds the calls a start is carried through.
const maxThen = 4

// through returns the start as seen inside a function called at hop.
func (s *start) through(hop analyzer.Step) *start {
	if len(s.then) >= maxThen {
		return s
	}
	return &start{chain: s.chain, then: append(append([]analyzer.Step(nil), s.then...), hop)}
}

// forkLock is the must-held state of syscall.ForkLock.
type forkLock struct {
	held   bool
	write  bool
	at     token.Pos // the acquisition
	region int       // the same number from one acquisition to its release
}

// A walker follows the statements of one function body in order, calling
// the checker for each call with the state before it. Loops are walked
// twice, the first time quietly, so that what the end of the body does
// reaches its beginning.
type walker struct {
	c      *checker
	d      *decl
	report bool // report and record states (the last walk)
	quiet  int  // > 0: compute states only (first walk of a loop body)
	depth  int  // loop nesting
	jumps  []*jumps
	lits   []pendingLit // function literals to walk afterwards
}

// jumps collects the states at the break and continue statements of the
// innermost loop, switch or select.
type jumps struct {
	loop          bool
	breaks, conts []state
}

// A pendingLit is a function literal met during the walk, with the state
// its body starts in.
type pendingLit struct {
	lit   *ast.FuncLit
	entry state
}

// walk walks the body of d and then every function literal inside it.
// The body starts with the goroutine start known to precede some call of
// d in the package, if any.
func (c *checker) walk(d *decl, report bool) {
	w := &walker{c: c, d: d, report: report}
	entry := state{}
	if d.fn != nil {
		entry.started = c.entry[d.fn]
	}
	w.stmts(d.body.List, entry)
	for len(w.lits) > 0 {
		p := w.lits[0]
		w.lits = w.lits[1:]
		w.stmts(p.lit.Body.List, p.entry)
	}
}

func (w *walker) queue(lit *ast.FuncLit, entry state) {
	if w.quiet == 0 {
		w.lits = append(w.lits, pendingLit{lit: lit, entry: entry})
	}
}

// merge is the state after two paths join.
func (w *walker) merge(a, b state) state {
	out := state{started: a.started}
	if out.started == nil {
		out.started = b.started
	}
	if a.lock.held && b.lock.held {
		out.lock = a.lock
		out.lock.write = a.lock.write || b.lock.write
		if a.lock.region != b.lock.region {
			out.lock.region = w.c.newRegion()
		}
	}
	return out
}

func (w *walker) mergeAll(states []state) (state, bool) {
	if len(states) == 0 {
		return state{}, false
	}
	st := states[0]
	for _, s := range states[1:] {
		st = w.merge(st, s)
	}
	return st, true
}

func (w *walker) stmts(list []ast.Stmt, st state) (state, bool) {
	for _, s := range list {
		var ok bool
		if st, ok = w.stmt(s, st); !ok {
			return st, false
		}
	}
	return st, true
}

// stmt returns the state after s, and false when s does not complete
// normally (return, panic, break...).
func (w *walker) stmt(s ast.Stmt, st state) (state, bool) {
	switch s := s.(type) {
	case *ast.BlockStmt:
		return w.stmts(s.List, st)
	case *ast.ExprStmt:
		st = w.expr(s.X, st)
		if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok && w.c.noReturn(call) {
			return st, false
		}
	case *ast.AssignStmt:
		for _, e := range s.Rhs {
			st = w.expr(e, st)
		}
		for _, e := range s.Lhs {
			st = w.expr(e, st)
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			for _, spec := range gd.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					for _, e := range vs.Values {
						st = w.expr(e, st)
					}
				}
			}
		}
	case *ast.IncDecStmt:
		st = w.expr(s.X, st)
	case *ast.SendStmt:
		st = w.expr(s.Value, w.expr(s.Chan, st))
	case *ast.ReturnStmt:
		for _, e := range s.Results {
			st = w.expr(e, st)
		}
		return st, false
	case *ast.BranchStmt:
		switch s.Tok {
		case token.BREAK:
			if j := w.innermost(false); j != nil {
				j.breaks = append(j.breaks, st)
			}
			return st, false
		case token.CONTINUE:
			if j := w.innermost(true); j != nil {
				j.conts = append(j.conts, st)
			}
			return st, false
		case token.GOTO:
			return st, false
		}
	case *ast.GoStmt:
		st = w.callOperands(s.Call, st)
		g := &start{chain: []analyzer.Step{w.c.hop("go "+w.c.goName(s.Call), s.Pos())}}
		entry := st.started
		if entry == nil {
			entry = g
		}
		if lit, ok := ast.Unparen(s.Call.Fun).(*ast.FuncLit); ok {
			w.queue(lit, state{started: entry})
		} else if fn := w.c.callee(s.Call); fn != nil {
			// The function runs while its starter goes on.
			w.c.enter(fn, entry)
		}
		if st.started == nil {
			st.started = g
		}
	case *ast.DeferStmt:
		if w.c.forkLockOp(s.Call) != "" {
			return st, true // defer ForkLock.RUnlock(): held to the end
		}
		st = w.callOperands(s.Call, st)
		if lit, ok := ast.Unparen(s.Call.Fun).(*ast.FuncLit); ok {
			w.queue(lit, state{started: st.started})
		}
	case *ast.LabeledStmt:
		return w.stmt(s.Stmt, st)
	case *ast.IfStmt:
		if s.Init != nil {
			st, _ = w.stmt(s.Init, st)
		}
		st = w.expr(s.Cond, st)
		var outs []state
		if out, ok := w.stmt(s.Body, st); ok {
			outs = append(outs, out)
		}
		if s.Else == nil {
			outs = append(outs, st)
		} else if out, ok := w.stmt(s.Else, st); ok {
			outs = append(outs, out)
		}
		return w.mergeAll(outs)
	case *ast.ForStmt:
		if s.Init != nil {
			st, _ = w.stmt(s.Init, st)
		}
		return w.loop(st, s.Cond == nil, func(in state) (state, bool) {
			in = w.expr(s.Cond, in)
			out, ok := w.stmt(s.Body, in)
			if ok && s.Post != nil {
				out, ok = w.stmt(s.Post, out)
			}
			return out, ok
		})
	case *ast.RangeStmt:
		st = w.expr(s.X, st)
		return w.loop(st, false, func(in state) (state, bool) {
			return w.stmt(s.Body, in)
		})
	case *ast.SwitchStmt:
		if s.Init != nil {
			st, _ = w.stmt(s.Init, st)
		}
		st = w.expr(s.Tag, st)
		return w.clauses(s.Body, st, func(cl ast.Stmt, in state) (state, bool, bool) {
			cc := cl.(*ast.CaseClause)
			for _, e := range cc.List {
				in = w.expr(e, in)
			}
			out, ok := w.stmts(cc.Body, in)
			return out, ok, cc.List == nil
		})
	case *ast.TypeSwitchStmt:
		if s.Init != nil {
			st, _ = w.stmt(s.Init, st)
		}
		st, _ = w.stmt(s.Assign, st)
		return w.clauses(s.Body, st, func(cl ast.Stmt, in state) (state, bool, bool) {
			cc := cl.(*ast.CaseClause)
			out, ok := w.stmts(cc.Body, in)
			return out, ok, cc.List == nil
		})
	case *ast.SelectStmt:
		return w.clauses(s.Body, st, func(cl ast.Stmt, in state) (state, bool, bool) {
			cc := cl.(*ast.CommClause)
			if cc.Comm != nil {
				in, _ = w.stmt(cc.Comm, in)
			}
			out, ok := w.stmts(cc.Body, in)
			return out, ok, true // a select always takes one of its cases
		})
	}
	return st, true
}

func (w *walker) innermost(loop bool) *jumps {
	for i := len(w.jumps) - 1; i >= 0; i-- {
		if !loop || w.jumps[i].loop {
			return w.jumps[i]
		}
	}
	return nil
}

// clauses walks the clauses of a switch or select: each starts from st;
// the state after is the merge of the clauses that complete, of the
// breaks, and of st itself when no clause is a default.
func (w *walker) clauses(body *ast.BlockStmt, st state, clause func(ast.Stmt, state) (state, bool, bool)) (state, bool) {
	j := &jumps{}
	w.jumps = append(w.jumps, j)
	var outs []state
	exhaustive := false
	for _, cl := range body.List {
		out, ok, isDefault := clause(cl, st)
		if ok {
			outs = append(outs, out)
		}
		exhaustive = exhaustive || isDefault
	}
	w.jumps = w.jumps[:len(w.jumps)-1]
	if !exhaustive {
		outs = append(outs, st)
	}
	outs = append(outs, j.breaks...)
	return w.mergeAll(outs)
}

// maxLoopDepth bounds the loops walked twice (each level doubles the
// work); deeper loops are walked once.
const maxLoopDepth = 4

// loop walks a loop body: once quietly from the entry state, then from the
// merge of the entry state and the states that reach the next iteration.
func (w *walker) loop(entry state, infinite bool, body func(state) (state, bool)) (state, bool) {
	head := entry
	w.depth++
	defer func() { w.depth-- }()
	if w.depth <= maxLoopDepth {
		j := &jumps{loop: true}
		w.jumps = append(w.jumps, j)
		w.quiet++
		end, ok := body(entry)
		w.quiet--
		w.jumps = w.jumps[:len(w.jumps)-1]
		if ok {
			head = w.merge(head, end)
		}
		for _, c := range j.conts {
			head = w.merge(head, c)
		}
	}
	j := &jumps{loop: true}
	w.jumps = append(w.jumps, j)
	end, ok := body(head)
	w.jumps = w.jumps[:len(w.jumps)-1]
	var outs []state
	if !infinite {
		outs = append(outs, head)
		if ok {
			outs = append(outs, end)
		}
	}
	outs = append(outs, j.breaks...)
	return w.mergeAll(outs)
}

// callOperands walks what a go or defer statement evaluates at once: the
// function value and the arguments.
func (w *walker) callOperands(call *ast.CallExpr, st state) state {
	if _, ok := ast.Unparen(call.Fun).(*ast.FuncLit); !ok {
		st = w.expr(call.Fun, st)
	}
	for _, a := range call.Args {
		st = w.expr(a, st)
	}
	return st
}

// expr walks the calls of an expression in evaluation order: operands
// before the call that uses them.
func (w *walker) expr(e ast.Expr, st state) state {
	switch x := e.(type) {
	case nil:
	case *ast.CallExpr:
		if lit, ok := ast.Unparen(x.Fun).(*ast.FuncLit); ok {
			for _, a := range x.Args {
				st = w.expr(a, st)
			}
			w.queue(lit, st) // called at once: it starts in the current state
			return st
		}
		st = w.expr(x.Fun, st)
		for _, a := range x.Args {
			st = w.expr(a, st)
		}
		return w.c.call(w, x, st)
	case *ast.FuncLit:
		w.queue(x, state{started: st.started})
	case *ast.ParenExpr:
		return w.expr(x.X, st)
	case *ast.SelectorExpr:
		return w.expr(x.X, st)
	case *ast.BinaryExpr:
		return w.expr(x.Y, w.expr(x.X, st))
	case *ast.UnaryExpr:
		return w.expr(x.X, st)
	case *ast.StarExpr:
		return w.expr(x.X, st)
	case *ast.IndexExpr:
		return w.expr(x.Index, w.expr(x.X, st))
	case *ast.IndexListExpr:
		return w.expr(x.X, st)
	case *ast.SliceExpr:
		st = w.expr(x.X, st)
		for _, e := range []ast.Expr{x.Low, x.High, x.Max} {
			st = w.expr(e, st)
		}
	case *ast.TypeAssertExpr:
		return w.expr(x.X, st)
	case *ast.CompositeLit:
		for _, e := range x.Elts {
			st = w.expr(e, st)
		}
	case *ast.KeyValueExpr:
		return w.expr(x.Value, w.expr(x.Key, st))
	}
	return st
}

// goName names the function a go statement starts.
func (c *checker) goName(call *ast.CallExpr) string {
	if fn := c.callee(call); fn != nil {
		return c.funcName(fn)
	}
	return "func"
}

// forkLockOp returns the method of syscall.ForkLock that call calls
// ("Lock", "RLock", "Unlock", "RUnlock"), or "".
func (c *checker) forkLockOp(call *ast.CallExpr) string {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	recv, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	v, ok := c.info.Uses[recv.Sel].(*types.Var)
	if !ok || v.Name() != "ForkLock" || v.Pkg() == nil || v.Pkg().Path() != "syscall" {
		return ""
	}
	switch sel.Sel.Name {
	case "Lock", "RLock", "Unlock", "RUnlock":
		return sel.Sel.Name
	}
	return ""
}

// threads returns the witness of a goroutine start that may precede a
// call in state st: one of the function's own, or one reachable from
// package initialization.
func (c *checker) threads(w *walker, st state) (string, []analyzer.Step, bool) {
	if st.started != nil {
		return st.started.render(), append(append([]analyzer.Step(nil), st.started.chain...), st.started.then...), true
	}
	for _, op := range c.initGo {
		if w.d.isInit && len(op.Chain) > 0 && op.Chain[0].Func == analyzer.InitOf(c.pass.Pkg.Path()) {
			// This package's own init functions: what they start before
			// this point is in st, what they start after does not count.
			continue
		}
		steps := op.Steps("")
		return analyzer.RenderSteps(steps), steps, true
	}
	return "", nil, false
}
