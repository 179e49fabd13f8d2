package analyzer

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file decides which parameters a function marks close-on-exec: it
// passes them to a marking call as FdEffectOf defines one, or to a
// function that marks that parameter (of this package, or another one
// known from its summary). The answer is Summary.Marks; fdMarksOf reads
// it too.

// markParams computes, to a fixed point (marks only grow), the
// parameters every function of the package marks close-on-exec, for
// fdMarksOf and Summary.Marks. It needs no other summary of the package,
// so it runs before them.
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
	e.marks = found
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
			if eff := FdEffectOf(funcObject(callee), e.fdArgs(args)); eff.Kind == FdMark && eff.Arg < len(args) {
				add(args[eff.Arg])
				continue
			}
			if callee == nil || callee == fn {
				continue
			}
			for _, i := range e.calleeMarks(callee, found) {
				if i < len(args) {
					add(args[i])
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// calleeMarks returns the parameters that callee marks close-on-exec:
// as found so far for a function of the package, from its summary for
// another one.
func (e *engine) calleeMarks(callee *ssa.Function, found map[*ssa.Function][]int) []int {
	if e.inPkg[callee] {
		return found[callee]
	}
	if s := e.summaryOf(callee); s != nil {
		return s.Marks
	}
	return nil
}
