package analyzer

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// processStarts lists the std calls that start a process (and so take
// syscall.ForkLock for writing), with the words a diagnostic uses.
var processStarts = map[string]string{
	"(*os/exec.Cmd).Start":          "(*exec.Cmd).Start",
	"(*os/exec.Cmd).Run":            "(*exec.Cmd).Run",
	"(*os/exec.Cmd).Output":         "(*exec.Cmd).Output",
	"(*os/exec.Cmd).CombinedOutput": "(*exec.Cmd).CombinedOutput",
	"os.StartProcess":               "os.StartProcess",
	"syscall.ForkExec":              "syscall.ForkExec",
	"syscall.StartProcess":          "syscall.StartProcess",
}

// ProcessStart reports whether the std function with the given
// types.Func.FullName starts a process, and returns its name as a
// diagnostic shows it.
func ProcessStart(fullName string) (string, bool) {
	name, ok := processStarts[fullName]
	return name, ok
}

// This part of the file decides which functions start a process, on
// their own goroutine: they call one of processStarts, or a function
// that does (of this package, or another one known from its summary).
// The answer is Summary.Starts, the witness from the function to the
// start.

// processStarts fills Summary.Starts for every function of the package,
// shortest witness first: a round adds the functions that call one
// found in the rounds before.
func (e *engine) processStarts() {
	found := map[*ssa.Function][]Hop{}
	for round := 0; round <= len(e.funcs); round++ {
		next := map[*ssa.Function][]Hop{}
		var order []*ssa.Function
		for _, fn := range e.funcs {
			if found[fn] != nil {
				continue
			}
			if chain := e.startIn(fn, found); chain != nil {
				next[fn] = chain
				order = append(order, fn)
			}
		}
		if len(order) == 0 {
			break
		}
		for _, fn := range order {
			found[fn] = next[fn]
		}
	}
	for _, fn := range e.funcs {
		if chain := found[fn]; chain != nil {
			s := e.summaries[fn]
			if s == nil {
				s = new(Summary)
				e.summaries[fn] = s
			}
			s.Starts = chain
		}
	}
}

// startIn returns the witness of the first call of fn, by position, that
// starts a process on fn's goroutine, given the functions of the package
// found so far; nil when there is none. A go statement's call runs on
// another goroutine.
func (e *engine) startIn(fn *ssa.Function, found map[*ssa.Function][]Hop) []Hop {
	var best []Hop
	var bestPos token.Pos
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := c.(*ssa.Go); isGo {
				continue
			}
			chain := e.startsThrough(c, fn, found)
			if chain != nil && (best == nil || c.Pos() < bestPos) {
				best, bestPos = chain, c.Pos()
			}
		}
	}
	return best
}

// startsThrough returns the witness of a process start that the call c
// of fn makes: a call of processStarts, or of a function whose start is
// known; nil when it makes none.
func (e *engine) startsThrough(c ssa.CallInstruction, fn *ssa.Function, found map[*ssa.Function][]Hop) []Hop {
	callee := c.Common().StaticCallee()
	if callee == nil || callee == fn {
		return nil
	}
	if obj := funcObject(callee); obj != nil {
		if name, ok := ProcessStart(obj.FullName()); ok {
			return []Hop{e.hop(name, c.Pos())}
		}
	}
	var chain []Hop
	if e.inPkg[callee] {
		chain = found[callee]
	} else if s := e.summaryOf(callee); s != nil {
		chain = s.Starts
	}
	if chain == nil {
		return nil
	}
	return prepend(e.hop(displayName(callee, e.pkg), c.Pos()), chain)
}
