package analyzer

import "golang.org/x/tools/go/ssa"

// users maps each function of a recursive cycle to the functions of the
// cycle whose summaries read its summary: its callers, and the
// functions that may join it as a goroutine.
func (e *engine) users(scc []*ssa.Function) map[*ssa.Function][]*ssa.Function {
	in := map[*ssa.Function]bool{}
	for _, fn := range scc {
		in[fn] = true
	}
	out := map[*ssa.Function][]*ssa.Function{}
	for _, fn := range scc {
		seen := map[*ssa.Function]bool{}
		use := func(g *ssa.Function) {
			if in[g] && !seen[g] {
				seen[g] = true
				out[g] = append(out[g], fn)
			}
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				for _, ce := range e.callees(c) {
					use(ce.fn)
				}
			}
		}
		for _, g := range e.deps[fn] {
			use(g)
		}
	}
	return out
}

// stale returns the functions of scc to analyse again after a round in
// which the summaries of changed changed: their users, and every
// function that joins goroutines (what a goroutine does first depends on
// the summaries of everything it calls, not only on its own). Nil means
// all of them (the first round).
func (e *engine) stale(scc []*ssa.Function, users map[*ssa.Function][]*ssa.Function, changed map[*ssa.Function]bool) map[*ssa.Function]bool {
	if changed == nil {
		return nil
	}
	out := map[*ssa.Function]bool{}
	for _, fn := range scc {
		if changed[fn] {
			for _, u := range users[fn] {
				out[u] = true
			}
		}
		if len(e.deps[fn]) > 0 {
			out[fn] = true
		}
	}
	return out
}
