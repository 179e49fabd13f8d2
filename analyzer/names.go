package analyzer

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// funcPath names fn within its package, stably: "f", "(*T).m", "f$1".
func funcPath(fn *ssa.Function) string {
	var pkg *types.Package
	if fn.Pkg != nil {
		pkg = fn.Pkg.Pkg
	}
	return fn.RelString(pkg)
}

// pathOf is funcPath(fn), computed once per function: the classes of
// the variables and channels a function makes begin with it.
func (e *engine) pathOf(fn *ssa.Function) string {
	if p, ok := e.funcPaths[fn]; ok {
		return p
	}
	if e.funcPaths == nil {
		e.funcPaths = map[*ssa.Function]string{}
	}
	p := funcPath(fn)
	e.funcPaths[fn] = p
	return p
}

// displayName names fn for a witness seen from package from, the way a
// stack trace does: "(*b.Client).Close", "Open.func1"; wrappers and
// generic instances are named after the function they stand for.
func displayName(fn *ssa.Function, from *types.Package) string {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if p := fn.Parent(); p != nil {
		name := fn.Name()
		if i := strings.LastIndexByte(name, '$'); i >= 0 {
			name = name[i+1:]
		}
		return displayName(p, from) + ".func" + name
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return objectName(obj, from)
	}
	return fn.Name()
}

// callName is displayName(fn, e.pkg), computed once per function: the
// name of a hop for every call of fn, in every walk.
func (e *engine) callName(fn *ssa.Function) string {
	if n, ok := e.callNames[fn]; ok {
		return n
	}
	if e.callNames == nil {
		e.callNames = map[*ssa.Function]string{}
	}
	n := displayName(fn, e.pkg)
	e.callNames[fn] = n
	return n
}

// objectName names a function object seen from package from.
func objectName(obj *types.Func, from *types.Package) string {
	qual := func(p *types.Package) string {
		if from != nil && p == from {
			return ""
		}
		return p.Name()
	}
	if sig, ok := obj.Type().(*types.Signature); ok && sig.Recv() != nil {
		return fmt.Sprintf("(%s).%s", types.TypeString(sig.Recv().Type(), qual), obj.Name())
	}
	if obj.Pkg() == nil || obj.Pkg() == from {
		return obj.Name()
	}
	return obj.Pkg().Name() + "." + obj.Name()
}

// hop returns the witness hop for a call of (or wait for) name at pos. A
// position in a file that the build generated under a hashed name (cgo's
// wrappers of C functions) says so instead: the name means nothing to
// whoever reads the witness.
func (e *engine) hop(name string, pos token.Pos) Hop {
	h := Hop{Func: name}
	if !pos.IsValid() {
		return h
	}
	p := e.fset.Position(pos)
	base := filepath.Base(p.Filename)
	if !strings.HasSuffix(base, ".go") {
		h.Generated = true
		return h
	}
	h.File, h.Line = base, p.Line
	return h
}

// at returns the last hop of an operation's chain: its position.
func (e *engine) at(pos token.Pos) Hop { return e.hop("", pos) }

// posString renders pos as "file.go:line", for names of channel classes.
func (e *engine) posString(pos token.Pos) string { return e.at(pos).Pos() }

// maxChain bounds the length of a stored witness: longer ones keep their
// two ends.
const maxChain = 10

// prepend returns the chain with h in front, shortened to maxChain hops.
func prepend(h Hop, chain []Hop) []Hop {
	one := [1]Hop{h}
	return concat(one[:], chain)
}

// concat returns chain a followed by chain b, shortened to maxChain hops:
// a longer one keeps its first maxChain/2 hops, an Elided hop and its
// last maxChain/2-1 hops. It allocates the result once, at its final
// length (witnesses are extended at every call of a summary, in every
// round of a recursive cycle).
func concat(a, b []Hop) []Hop {
	return appendChain(make([]Hop, 0, min(len(a)+len(b), maxChain)), a, b)
}

// appendChain appends to dst what concat(a, b) returns, copying only the
// hops it keeps.
func appendChain(dst, a, b []Hop) []Hop {
	n := len(a) + len(b)
	if n <= maxChain {
		return append(append(dst, a...), b...)
	}
	const head, tail = maxChain / 2, maxChain/2 - 1
	if len(a) >= head {
		dst = append(dst, a[:head]...)
	} else {
		dst = append(append(dst, a...), b[:head-len(a)]...)
	}
	dst = append(dst, Hop{Elided: true})
	// The last tail hops of a followed by b: from a's end, then from b.
	if from := n - tail; from < len(a) {
		return append(append(dst, a[from:]...), b...)
	}
	return append(dst, b[len(b)-tail:]...)
}

// posLess orders positions by file name, then offset in the file. The
// token.Pos values of different files depend on the order the driver
// parsed them in, which varies from run to run: ordering by them would
// make the output vary too.
func (e *engine) posLess(a, b token.Pos) bool {
	pa, pb := e.fset.Position(a), e.fset.Position(b)
	if pa.Filename != pb.Filename {
		return pa.Filename < pb.Filename
	}
	return pa.Offset < pb.Offset
}
