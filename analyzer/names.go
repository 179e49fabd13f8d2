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

// posString renders pos as "file.go:line", or "" for no position. A
// position in a file that the build generated under a hashed name (cgo's
// wrappers of C functions) says so instead: the name means nothing to
// whoever reads the witness.
func (e *engine) posString(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := e.fset.Position(pos)
	base := filepath.Base(p.Filename)
	if !strings.HasSuffix(base, ".go") {
		return generatedPos
	}
	return fmt.Sprintf("%s:%d", base, p.Line)
}

// generatedPos stands for a position in generated code.
const generatedPos = "generated code"

// hop renders one element of a witness chain.
func hop(name, pos string) string {
	if pos == "" {
		return name
	}
	return name + " (" + pos + ")"
}

// maxChain bounds the length of a stored witness: longer ones keep their
// two ends.
const maxChain = 10

// prepend returns the chain with h in front, shortened to maxChain hops.
func prepend(h string, chain []string) []string {
	out := make([]string, 0, len(chain)+1)
	out = append(out, h)
	out = append(out, chain...)
	if len(out) > maxChain {
		keep := append([]string{}, out[:maxChain/2]...)
		keep = append(keep, "…")
		out = append(keep, out[len(out)-(maxChain/2-1):]...)
	}
	return out
}

// Render joins a witness chain with arrows.
func Render(chain []string) string {
	return strings.Join(chain, " → ")
}
