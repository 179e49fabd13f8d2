package analyzer

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file decides which parameters a function marks close-on-exec: it
// passes them to a marking call as FdEffectOf defines one, or to a
// function that marks that parameter (of this package, or another one
// known from its summary). The answer is Summary.Marks.

// markParams fills Summary.Marks for every function of the package, to
// a fixed point (marks only grow).
func (e *engine) markParams() {
	found := map[*ssa.Function][]int{}
	for round := 0; round <= len(e.funcs); round++ {
		changed := false
		for _, fn := range e.funcs {
			if m := e.marksOf(fn, found); len(m) > len(found[fn]) {
				found[fn] = m
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	for _, fn := range e.funcs {
		if m := found[fn]; len(m) > 0 {
			s := e.summaries[fn]
			if s == nil {
				s = new(Summary)
				e.summaries[fn] = s
			}
			s.Marks = m
		}
	}
}

// marksOf returns, sorted, the parameters of fn that its calls mark
// close-on-exec, given what the functions of the package are found to
// mark so far.
func (e *engine) marksOf(fn *ssa.Function, found map[*ssa.Function][]int) []int {
	var out []int
	add := func(v ssa.Value) {
		if p, ok := stripConv(v).(*ssa.Parameter); ok && p.Parent() == fn {
			if i := paramIndex(p); i >= 0 && !slices.Contains(out, i) {
				out = append(out, i)
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			callee := c.Common().StaticCallee()
			args := c.Common().Args
			if eff := FdEffectOf(funcObject(callee), ssaArgs(args)); eff.Kind == FdMark && eff.Arg < len(args) {
				add(args[eff.Arg])
				continue
			}
			if callee == nil || callee == fn {
				continue
			}
			var marks []int
			if e.inPkg[callee] {
				marks = found[callee]
			} else if s := e.summaryOf(callee); s != nil {
				marks = s.Marks
			}
			for _, i := range marks {
				if i < len(args) {
					add(args[i])
				}
			}
		}
	}
	slices.Sort(out)
	return out
}
