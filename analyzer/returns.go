package analyzer

import (
	"sort"

	"golang.org/x/tools/go/ssa"
)

// A heldParam says that what a function returns holds one of its
// parameters: the function stores the parameter into the object it
// returns (a constructor), or returns the parameter itself (Ref zero).
type heldParam struct {
	param int
	ref   Ref
}

// resultHolds returns the parameters that the first result of fn holds
// on some path: for a function of the package, found in the stores fn
// makes into the objects it returns (what fn's own callees store is not
// followed); for another package's, from its summary's Keeps.
func (e *engine) resultHolds(fn *ssa.Function) []heldParam {
	if fn == nil {
		return nil
	}
	if !e.inPkg[fn] {
		// A function of another package: its fact says.
		var out []heldParam
		if s := e.summaryOf(fn); s != nil {
			for _, k := range s.Keeps {
				h := heldParam{param: k.Param}
				switch {
				case k.Field != "":
					h.ref = Ref{Kind: RefField, Name: k.Field}
				case k.Elem:
					h.ref = Ref{Kind: RefElem}
				}
				out = append(out, h)
			}
		}
		return out
	}
	if fn.Blocks == nil {
		return nil
	}
	if hs, ok := e.returns[fn]; ok {
		return hs
	}
	if e.returns == nil {
		e.returns = map[*ssa.Function][]heldParam{}
	}
	e.returns[fn] = nil // a recursive function holds what it holds without itself
	var out []heldParam
	add := func(h heldParam) {
		for _, o := range out {
			if o.param == h.param {
				return
			}
		}
		out = append(out, h)
	}
	param := func(v ssa.Value) int {
		if p, ok := v.(*ssa.Parameter); ok && p.Parent() == fn {
			return paramIndex(p)
		}
		return -1
	}
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) == 0 || !mayPoint(ret.Results[0].Type()) {
			continue
		}
		for _, o := range e.origins(ret.Results[0], true) {
			if i := param(o); i >= 0 {
				add(heldParam{param: i})
				continue
			}
			for _, s := range e.stores().slots[o] {
				if e.overwritten(s, o) {
					continue
				}
				for _, so := range e.origins(s.val, true) {
					if i := param(so); i >= 0 {
						add(heldParam{param: i, ref: slotRef(s)})
					}
				}
			}
		}
	}
	e.returns[fn] = out
	return out
}

// keepsOf returns what the summary of fn, a function of the package,
// says its result holds, sorted by parameter.
func (e *engine) keepsOf(fn *ssa.Function) []Keep {
	sig := fn.Signature
	if sig.Results().Len() == 0 || !mayPoint(sig.Results().At(0).Type()) {
		return nil
	}
	var out []Keep
	for _, h := range e.resultHolds(fn) {
		k := Keep{Param: h.param}
		switch h.ref.Kind {
		case RefField:
			k.Field = h.ref.Name
		case RefElem:
			k.Elem = true
		}
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Param < out[j].Param })
	return out
}
