package analyzer

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A wait for the outside world — a network peer, a child process — can
// last forever unless a deadline is in sight: SetDeadline (or its read
// and write variants) on the same connection in the function that waits
// or in a caller on the path (see rejudge); a client with a Timeout; a
// context with a deadline.

// A worldCall says how a std call waits for the outside world.
type worldCall struct {
	// conn is the index of the argument that is the connection (or the
	// client, or the command), or -1.
	conn int
	// ctx is the index of a context argument whose deadline bounds the
	// wait, or -1.
	ctx int
	// kind says what bounds it: deadlines on a connection, a client's
	// Timeout, or nothing.
	kind worldKind
}

type worldKind uint8

const (
	worldConn    worldKind = iota + 1 // a deadline on the connection
	worldClient                       // an http.Client with a Timeout
	worldProcess                      // a child process: nothing but a context
	worldServe                        // a server on a listener: closing either ends it
)

// worldCalls lists the std calls (and interface methods) that wait for
// the outside world. Keys are types.Func.FullName values.
var worldCalls = map[string]worldCall{
	"(net.Conn).Read":                      {0, -1, worldConn},
	"(net.Conn).Write":                     {0, -1, worldConn},
	"(*net.conn).Read":                     {0, -1, worldConn},
	"(*net.conn).Write":                    {0, -1, worldConn},
	"(net.PacketConn).ReadFrom":            {0, -1, worldConn},
	"(*net.UDPConn).ReadFrom":              {0, -1, worldConn},
	"(*net.UDPConn).ReadFromUDP":           {0, -1, worldConn},
	"(*net.UnixConn).ReadFromUnix":         {0, -1, worldConn},
	"(net.Listener).Accept":                {0, -1, worldConn},
	"(*net.TCPListener).Accept":            {0, -1, worldConn},
	"(*net.TCPListener).AcceptTCP":         {0, -1, worldConn},
	"(*net.UnixListener).Accept":           {0, -1, worldConn},
	"(*net.UnixListener).AcceptUnix":       {0, -1, worldConn},
	"io.ReadFull":                          {0, -1, worldConn},
	"io.ReadAtLeast":                       {0, -1, worldConn},
	"io.ReadAll":                           {0, -1, worldConn},
	"io.Copy":                              {1, -1, worldConn},
	"io.CopyN":                             {1, -1, worldConn},
	"net.Dial":                             {-1, -1, worldProcess},
	"(*net/http.Client).Do":                {0, -1, worldClient},
	"(*net/http.Client).Get":               {0, -1, worldClient},
	"(*net/http.Client).Post":              {0, -1, worldClient},
	"(*net/http.Client).PostForm":          {0, -1, worldClient},
	"(*net/http.Client).Head":              {0, -1, worldClient},
	"net/http.Get":                         {-1, -1, worldProcess},
	"net/http.Post":                        {-1, -1, worldProcess},
	"net/http.PostForm":                    {-1, -1, worldProcess},
	"net/http.Head":                        {-1, -1, worldProcess},
	"(*os/exec.Cmd).Wait":                  {0, -1, worldProcess},
	"(*os/exec.Cmd).Run":                   {0, -1, worldProcess},
	"(*os/exec.Cmd).Output":                {0, -1, worldProcess},
	"(*os/exec.Cmd).CombinedOutput":        {0, -1, worldProcess},
	"(*os.Process).Wait":                   {0, -1, worldProcess},
	"(*net/http.Server).Serve":             {1, -1, worldServe},
	"(*net/http.Server).ServeTLS":          {1, -1, worldServe},
	"(*net/http.Server).ListenAndServe":    {0, -1, worldProcess},
	"(*net/http.Server).ListenAndServeTLS": {0, -1, worldProcess},
	"(*net/http.Server).Shutdown":          {0, 1, worldProcess},
}

// isWorldCall reports whether the std function full waits for the
// outside world.
func isWorldCall(full string) bool { _, ok := worldCalls[full]; return ok }

// worldName names a world call for a witness: "(*exec.Cmd).Wait".
func worldName(full string) string {
	for _, p := range []string{"os/exec.", "net/http.", "os.", "net.", "io."} {
		full = strings.Replace(full, p, p[strings.LastIndexByte(p[:len(p)-1], '/')+1:], 1)
	}
	return full
}

// worldCall records a call that waits for the outside world, unless a
// deadline bounds it.
func (w *walker) worldCall(instr ssa.CallInstruction, full string, args []ssa.Value, held heldSet) {
	wc := worldCalls[full]
	if wc.ctx >= 0 && wc.ctx < len(args) && w.e.deadlineContext(args[wc.ctx], 0) {
		return
	}
	p := place{param: -1}
	var ends []string // closing these ends the wait
	if wc.conn >= 0 && wc.conn < len(args) {
		conn := args[wc.conn]
		if wc.kind == worldConn && !w.e.isConn(conn) {
			return // an io helper on something else than a connection
		}
		if w.e.bounded(w.fn, conn, wc.kind) {
			return
		}
		if wc.kind != worldProcess {
			p = w.e.valuePlace(conn)
			ends = append(ends, p.class)
		}
		if wc.kind == worldServe && len(args) > 0 {
			ends = append(ends, w.e.valuePlace(args[0]).class)
		}
	}
	op := w.opAt(KindWait, p, instr.Pos())
	op.Name, op.End, op.ByValue = worldName(full), EndWorld, false
	for _, c := range ends {
		if c != "" && !slices.Contains(op.Ends, c) {
			op.Ends = append(op.Ends, c)
		}
	}
	slices.Sort(op.Ends)
	w.emitWait(op, held, nil)
}

// worldIndex is what the package says about deadlines, computed once:
// the classes of the http.Clients it makes with a Timeout, and, per
// function, the connections it sets a deadline on (by place key and by
// class).
type worldIndex struct {
	timed    map[string]bool
	timedVal map[ssa.Value]bool
	byFunc   map[*ssa.Function][]string
}

func (e *engine) worldIndex() *worldIndex {
	if e.world != nil {
		return e.world
	}
	x := &worldIndex{timed: map[string]bool{}, timedVal: map[ssa.Value]bool{}, byFunc: map[*ssa.Function][]string{}}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch i := instr.(type) {
				case ssa.CallInstruction:
					c := i.Common()
					var name string
					if c.IsInvoke() {
						name = c.Method.Name()
					} else if obj := funcObject(c.StaticCallee()); obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == "net" {
						name = obj.Name()
					}
					if name != "SetDeadline" && name != "SetReadDeadline" && name != "SetWriteDeadline" {
						continue
					}
					args := callArgs(c)
					if len(args) == 0 {
						continue
					}
					p := e.valuePlace(args[0])
					x.byFunc[fn] = append(x.byFunc[fn], p.key)
					if p.class != "" {
						x.byFunc[fn] = append(x.byFunc[fn], "class:"+p.class)
					}
				case *ssa.Store:
					// http.Client{Timeout: d}: the client is timed, and so is
					// the field or variable it is stored in.
					fa, ok := i.Addr.(*ssa.FieldAddr)
					if !ok || !isNamed(deref(fa.X.Type()), "net/http", "Client") {
						continue
					}
					if st, _ := structOf(fa.X.Type()); st == nil || st.Field(fa.Field).Name() != "Timeout" {
						continue
					}
					x.timedVal[fa.X] = true
					for _, r := range *fa.X.Referrers() {
						if s, ok := r.(*ssa.Store); ok && s.Val == fa.X {
							if c := e.addrPlace(s.Addr, 0).class; c != "" {
								x.timed[c] = true
							}
						}
					}
				}
			}
		}
	}
	// A client loaded from a timed field or variable and kept in another
	// (acme.Client{HTTPClient: iss.httpClient}) is timed there too.
	for changed := true; changed; {
		changed = false
		for st := range e.allStores {
			if !isNamed(deref(st.Val.Type()), "net/http", "Client") {
				continue
			}
			v := unwrapValue(st.Val)
			if !x.timedVal[v] && !x.timed[e.valuePlace(v).class] {
				continue
			}
			if c := e.addrPlace(st.Addr, 0).class; c != "" && !x.timed[c] {
				x.timed[c] = true
				changed = true
			}
		}
	}
	e.world = x
	return x
}

// deadlined reports whether fn sets a deadline on the connection at
// place p (the same variable, or the same field).
func (x *worldIndex) deadlined(fn *ssa.Function, p place) bool {
	for _, k := range x.byFunc[fn] {
		if k == p.key || (p.class != "" && k == "class:"+p.class) {
			return true
		}
	}
	return false
}

// bounded reports whether a deadline bounds the world wait of kind on
// value v (a connection or a client) in fn.
func (e *engine) bounded(fn *ssa.Function, v ssa.Value, kind worldKind) bool {
	x := e.worldIndex()
	switch kind {
	case worldConn:
		return x.deadlined(fn, e.valuePlace(v))
	case worldClient:
		v = unwrapValue(v)
		if x.timedVal[v] {
			return true
		}
		return x.timed[e.valuePlace(v).class]
	}
	return false
}

// isConn reports whether v, an argument of an io helper, is a network
// connection: a net.Conn, or a value of package net converted to an
// io.Reader or io.Writer.
func (e *engine) isConn(v ssa.Value) bool {
	for i := 0; i < maxPlaceDepth; i++ {
		t := v.Type()
		if isNamed(t, "net", "Conn") || isNamed(deref(t), "net", "TCPConn") || isNamed(deref(t), "net", "UnixConn") ||
			isNamed(deref(t), "net", "UDPConn") || isNamed(deref(t), "net", "IPConn") {
			return true
		}
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return false
		}
	}
	return false
}

// valuePlace returns the place of a value that is not a lock: the field,
// variable or parameter it is loaded from, or the one field or variable it
// is kept in (l := net.Listen(...); s.listener = l).
func (e *engine) valuePlace(v ssa.Value) place {
	v = unwrapValue(v)
	p := e.chanPlace(v, 0)
	if p.class != "" || p.param >= 0 {
		return p
	}
	// Look through a closure's free variable and a local variable to the
	// value itself.
	d := v
	for i := 0; i < maxPlaceDepth; i++ {
		switch x := d.(type) {
		case *ssa.FreeVar:
			if b := e.binding(x); b != nil {
				d = b
				continue
			}
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if s := e.storedIn(x.X); s != nil {
					d = s
					continue
				}
			}
		}
		break
	}
	if c, short := e.keptIn(d); c != "" {
		p.class, p.short = c, short
	}
	return p
}

// keptIn returns the class of the one field or variable that the value v
// is stored into (directly, or loaded from the local variable it is kept
// in), or "".
func (e *engine) keptIn(v ssa.Value) (class, short string) {
	vals := []ssa.Value{v}
	for i := 0; i < len(vals) && i < maxPlaceDepth; i++ {
		refs := vals[i].Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			st, ok := r.(*ssa.Store)
			if !ok || st.Val != vals[i] {
				continue
			}
			if cell, ok := st.Addr.(*ssa.Alloc); ok {
				if storedValue(cell) == vals[i] {
					for _, l := range *cell.Referrers() {
						if ld, ok := l.(*ssa.UnOp); ok && ld.Op == token.MUL {
							vals = append(vals, ld)
						}
					}
				}
				continue
			}
			p := e.addrPlace(st.Addr, 0)
			if p.class == "" || (class != "" && p.class != class) {
				return "", ""
			}
			class, short = p.class, p.short
		}
	}
	return class, short
}

// unwrapValue looks through conversions to interfaces.
func unwrapValue(v ssa.Value) ssa.Value {
	for i := 0; i < maxPlaceDepth; i++ {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// isNamed reports whether t is the named type pkg.name.
func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}
