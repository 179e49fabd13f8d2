package forkafterthreads

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// A scope holds what the flag evaluation needs to know about one function
// declaration (or package-level function literal): every assignment to
// each of its variables, anywhere in it, closures included. The
// evaluation is flow-insensitive: a variable may hold the value of any of
// its assignments.
type scope struct {
	info     *types.Info
	node     ast.Node           // *ast.FuncDecl or *ast.FuncLit
	params   map[*types.Var]int // parameters of the declaration, by index
	declared map[*types.Var]bool
	defs     map[*types.Var][]def
	fields   map[*types.Var][]fieldDef  // assignments to v.F
	addr     map[*types.Var]bool        // &v appears
	aliases  map[*types.Var]ref         // r := p[0]; for _, fd := range p
	results  map[*ast.CallExpr]ast.Expr // where the first result of a call goes
}

// A def is one assignment to a variable.
type def struct {
	op      token.Token // token.ASSIGN, or the operator of x op= e
	rhs     ast.Expr    // nil: the zero value
	unknown bool        // assigned a value finalock cannot follow
}

// A fieldDef is one assignment to a field of a variable: v.name op= rhs.
type fieldDef struct {
	name string
	def
}

// A ref is a file descriptor held in a variable: the variable itself
// (idx -1) or one element of an array or slice variable, or a field of a
// struct variable.
type ref struct {
	v     *types.Var
	idx   int
	field string
}

func newScope(info *types.Info, node ast.Node) *scope {
	s := &scope{info: info, node: node,
		params: map[*types.Var]int{}, declared: map[*types.Var]bool{},
		defs: map[*types.Var][]def{}, fields: map[*types.Var][]fieldDef{},
		addr: map[*types.Var]bool{}, aliases: map[*types.Var]ref{},
		results: map[*ast.CallExpr]ast.Expr{}}
	if fd, ok := node.(*ast.FuncDecl); ok {
		if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
			sig := fn.Type().(*types.Signature)
			for i := 0; i < sig.Params().Len(); i++ {
				s.params[sig.Params().At(i)] = i
			}
		}
	}
	ast.Inspect(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			s.assign(n)
		case *ast.ValueSpec:
			if len(n.Values) == 1 && len(n.Names) > 0 {
				if call, ok := ast.Unparen(n.Values[0]).(*ast.CallExpr); ok {
					s.results[call] = n.Names[0]
				}
			}
			for i, name := range n.Names {
				v := s.varOf(name)
				if v == nil {
					continue
				}
				s.declared[v] = true
				switch {
				case len(n.Values) == 0:
					s.defs[v] = append(s.defs[v], def{op: token.ASSIGN})
				case len(n.Values) == len(n.Names):
					s.defs[v] = append(s.defs[v], def{op: token.ASSIGN, rhs: n.Values[i]})
				default:
					s.defs[v] = append(s.defs[v], def{unknown: true})
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if v := s.varOf(e); v != nil {
					s.declared[v] = true
					s.defs[v] = append(s.defs[v], def{unknown: true})
				}
			}
			if v := s.varOf(n.Value); v != nil {
				if r, ok := s.refOf(n.X); ok {
					s.aliases[v] = ref{v: r.v, idx: -1}
				}
			}
		case *ast.IncDecStmt:
			if v := s.varOf(n.X); v != nil {
				s.defs[v] = append(s.defs[v], def{unknown: true})
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if v := s.varOf(n.X); v != nil {
					s.addr[v] = true
				}
			}
		}
		return true
	})
	return s
}

func (s *scope) assign(n *ast.AssignStmt) {
	if len(n.Rhs) == 1 && len(n.Lhs) > 0 {
		if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
			s.results[call] = n.Lhs[0]
		}
	}
	for i, lhs := range n.Lhs {
		op := n.Tok
		if op == token.DEFINE {
			op = token.ASSIGN
		}
		d := def{op: op}
		if len(n.Lhs) == len(n.Rhs) {
			d.rhs = n.Rhs[i]
		} else {
			d.unknown = true
		}
		lhs = ast.Unparen(lhs)
		if sel, ok := lhs.(*ast.SelectorExpr); ok {
			if v := s.varOf(sel.X); v != nil {
				s.fields[v] = append(s.fields[v], fieldDef{name: sel.Sel.Name, def: d})
			}
			continue
		}
		v := s.varOf(lhs)
		if v == nil {
			continue
		}
		if n.Tok == token.DEFINE {
			if id, ok := lhs.(*ast.Ident); ok && s.info.Defs[id] != nil {
				s.declared[v] = true
			}
		}
		s.defs[v] = append(s.defs[v], d)
		if n.Tok == token.DEFINE && d.rhs != nil {
			if ix, ok := ast.Unparen(d.rhs).(*ast.IndexExpr); ok {
				if r, ok := s.refOf(ix); ok && r.idx >= 0 {
					s.aliases[v] = r
				}
			}
		}
	}
}

// varOf returns the variable e names, or nil.
func (s *scope) varOf(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	obj := s.info.Defs[id]
	if obj == nil {
		obj = s.info.Uses[id]
	}
	v, _ := obj.(*types.Var)
	if v == nil || v.IsField() {
		return nil
	}
	return v
}

// refOf returns the descriptor variable an expression reads or points to:
// fd, int(fd), uintptr(fd), p, p[:], p[1], &p[0], unsafe.Pointer(&p[0]),
// f.fd.
func (s *scope) refOf(e ast.Expr) (ref, bool) {
	idx := -1
	for {
		e = ast.Unparen(e)
		switch x := e.(type) {
		case *ast.CallExpr:
			if !s.isConversion(x) {
				return ref{}, false
			}
			e = x.Args[0]
			continue
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return ref{}, false
			}
			e = x.X
			continue
		case *ast.SliceExpr:
			e = x.X
			continue
		case *ast.IndexExpr:
			if idx >= 0 {
				return ref{}, false
			}
			tv := s.info.Types[x.Index]
			if tv.Value == nil {
				return ref{}, false
			}
			n, ok := constant.Int64Val(constant.ToInt(tv.Value))
			if !ok {
				return ref{}, false
			}
			idx = int(n)
			e = x.X
			continue
		case *ast.SelectorExpr:
			v := s.varOf(x.X)
			if v == nil || idx >= 0 {
				return ref{}, false
			}
			return ref{v: v, idx: -1, field: x.Sel.Name}, true
		case *ast.Ident:
			v := s.varOf(x)
			if v == nil {
				return ref{}, false
			}
			if a, ok := s.aliases[v]; ok && idx < 0 {
				return a, true
			}
			return ref{v: v, idx: idx}, true
		}
		return ref{}, false
	}
}

// isConversion reports whether call converts its one argument to a type.
func (s *scope) isConversion(call *ast.CallExpr) bool {
	return len(call.Args) == 1 && s.info.Types[call.Fun].IsType()
}

// A flagVal says whether a flags value has one flag bit.
type flagVal struct {
	k flagKind
	p int // the parameter, for flagParam
}

type flagKind uint8

const (
	flagNone    flagKind = iota // no value (a variable read inside its own assignment)
	flagLacks                   // certainly without the bit
	flagHas                     // certainly with the bit
	flagMixed                   // with the bit on some assignments, without on others
	flagParam                   // exactly as the function's parameter p has it
	flagUnknown                 // not known
)

var (
	none    = flagVal{k: flagNone}
	lacks   = flagVal{k: flagLacks}
	has     = flagVal{k: flagHas}
	mixed   = flagVal{k: flagMixed}
	unknown = flagVal{k: flagUnknown}
)

func paramVal(i int) flagVal { return flagVal{k: flagParam, p: i} }

// join is the value of a variable that holds a or b.
func join(a, b flagVal) flagVal {
	switch {
	case a.k == flagNone:
		return b
	case b.k == flagNone, a == b:
		return a
	case a.k == flagUnknown || b.k == flagUnknown || a.k == flagParam || b.k == flagParam:
		return unknown
	}
	return mixed // two of lacks, has, mixed
}

// or is the value of a | b.
func or(a, b flagVal) flagVal {
	switch {
	case a.k == flagHas || b.k == flagHas:
		return has
	case a.k == flagNone:
		return b
	case b.k == flagNone:
		return a
	case a.k == flagUnknown || b.k == flagUnknown:
		return unknown
	case a.k == flagLacks:
		return b
	case b.k == flagLacks:
		return a
	case a.k == flagMixed && b.k == flagMixed:
		return mixed
	case a == b:
		return a
	}
	return unknown
}

// andNot is the value of a &^ b.
func andNot(a, b flagVal) flagVal {
	switch b.k {
	case flagHas:
		return lacks
	case flagLacks, flagNone:
		return a
	}
	return unknown
}

// and is the value of a & b.
func and(a, b flagVal) flagVal {
	switch {
	case a.k == flagLacks || b.k == flagLacks:
		return lacks
	case a.k == flagHas:
		return b
	case b.k == flagHas:
		return a
	}
	return unknown
}

// bitVal evaluates whether expression e has the bits of the constant bit.
// A nil bit is a flag the platform does not have: no value has it.
func (s *scope) bitVal(e ast.Expr, bit constant.Value) flagVal {
	return s.eval(e, bit, map[*types.Var]bool{})
}

func (s *scope) eval(e ast.Expr, bit constant.Value, stack map[*types.Var]bool) flagVal {
	e = ast.Unparen(e)
	if tv, ok := s.info.Types[e]; ok && tv.Value != nil {
		return constHas(tv.Value, bit)
	}
	switch x := e.(type) {
	case *ast.CallExpr:
		if s.isConversion(x) {
			return s.eval(x.Args[0], bit, stack)
		}
	case *ast.BinaryExpr:
		a, b := s.eval(x.X, bit, stack), s.eval(x.Y, bit, stack)
		switch x.Op {
		case token.OR:
			return or(a, b)
		case token.AND_NOT:
			return andNot(a, b)
		case token.AND:
			return and(a, b)
		}
	case *ast.Ident:
		v := s.varOf(x)
		if v == nil {
			return unknown
		}
		return s.varVal(v, bit, stack)
	}
	return unknown
}

// varVal joins the values of every assignment to v.
func (s *scope) varVal(v *types.Var, bit constant.Value, stack map[*types.Var]bool) flagVal {
	i, isParam := s.params[v]
	if stack[v] {
		if isParam {
			return paramVal(i)
		}
		return none
	}
	if s.addr[v] || (!isParam && !s.declared[v]) {
		return unknown
	}
	stack[v] = true
	defer delete(stack, v)
	val := none
	if isParam {
		val = paramVal(i)
	}
	for _, d := range s.defs[v] {
		val = join(val, s.defVal(d, bit, stack, func() flagVal {
			if isParam {
				return paramVal(i)
			}
			return none
		}))
		if val.k == flagUnknown {
			break
		}
	}
	return val
}

// defVal evaluates one assignment; self is the value of the assigned
// variable read by "x op= e".
func (s *scope) defVal(d def, bit constant.Value, stack map[*types.Var]bool, self func() flagVal) flagVal {
	if d.unknown {
		return unknown
	}
	if d.rhs == nil {
		return lacks // the zero value
	}
	r := s.eval(d.rhs, bit, stack)
	switch d.op {
	case token.ASSIGN:
		return r
	case token.OR_ASSIGN:
		return or(self(), r)
	case token.AND_NOT_ASSIGN:
		return andNot(self(), r)
	case token.AND_ASSIGN:
		return and(self(), r)
	}
	return unknown
}

// constHas reports whether the constant v has the bits of bit.
func constHas(v, bit constant.Value) flagVal {
	v = constant.ToInt(v)
	if v.Kind() != constant.Int {
		return unknown
	}
	if bit == nil {
		return lacks
	}
	bit = constant.ToInt(bit)
	if bit.Kind() != constant.Int {
		return unknown
	}
	if m := constant.BinaryOp(v, token.AND, bit); constant.Compare(m, token.EQL, bit) {
		return has
	}
	return lacks
}

// constOf returns the constant value of e, following a local variable
// whose every assignment is the same constant; nil when not known.
func (s *scope) constOf(e ast.Expr) constant.Value {
	return s.constVal(e, map[*types.Var]bool{})
}

func (s *scope) constVal(e ast.Expr, stack map[*types.Var]bool) constant.Value {
	e = ast.Unparen(e)
	if tv, ok := s.info.Types[e]; ok && tv.Value != nil {
		return tv.Value
	}
	switch x := e.(type) {
	case *ast.CallExpr:
		if s.isConversion(x) {
			return s.constVal(x.Args[0], stack)
		}
	case *ast.Ident:
		v := s.varOf(x)
		if v == nil || stack[v] || s.addr[v] || !s.declared[v] || len(s.defs[v]) == 0 {
			return nil
		}
		stack[v] = true
		defer delete(stack, v)
		var val constant.Value
		for _, d := range s.defs[v] {
			if d.unknown || d.rhs == nil || d.op != token.ASSIGN {
				return nil
			}
			c := s.constVal(d.rhs, stack)
			if c == nil || (val != nil && val.ExactString() != c.ExactString()) {
				return nil
			}
			val = c
		}
		return val
	}
	return nil
}

// fieldVal evaluates the field name of a struct value given as e: a
// composite literal, its address, or a local variable holding either,
// with the assignments to v.name joined in. Used for OpenHow.Flags.
func (s *scope) fieldVal(e ast.Expr, name string, bit constant.Value) flagVal {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch x := e.(type) {
	case *ast.CompositeLit:
		t := s.info.TypeOf(x)
		if t == nil {
			return unknown
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return unknown
		}
		for i, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == name {
					return s.bitVal(kv.Value, bit)
				}
				continue
			}
			if i < st.NumFields() && st.Field(i).Name() == name {
				return s.bitVal(elt, bit)
			}
		}
		return lacks // the field is zero
	case *ast.CallExpr:
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "new" {
			if _, builtin := s.info.Uses[id].(*types.Builtin); builtin {
				return lacks
			}
		}
	case *ast.Ident:
		// &v is how the struct is passed, so taking its address is not
		// taken as a sign of other writes here.
		v := s.varOf(x)
		if v == nil || !s.declared[v] {
			return unknown
		}
		val := none
		for _, d := range s.defs[v] {
			switch {
			case d.unknown || d.op != token.ASSIGN:
				return unknown
			case d.rhs == nil:
				val = join(val, lacks)
			default:
				val = join(val, s.fieldVal(d.rhs, name, bit))
			}
		}
		for _, f := range s.fields[v] {
			if f.name == name {
				val = join(val, s.defVal(f.def, bit, map[*types.Var]bool{}, func() flagVal { return none }))
			}
		}
		if val.k == flagNone {
			return unknown
		}
		return val
	}
	return unknown
}
