package analyzer

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// A feed is an instruction that closes a channel, or sends on it, for
// sure: a close or a send, or a call whose callee does one on every path.
// A wait that comes after it, on every path, can count on it: a goroutine
// that receives from that channel is not kept waiting for it, and a
// select with a case receiving from a closed channel returns.
//
//	close(w.output)  // the writer goroutine's range loop ends
//	w.writerWg.Wait()
type feed struct {
	at    ssa.Instruction
	class string
	close bool // a close, which every receive sees; else a send
}

// feedsOf returns the feeds of fn, computed once.
func (e *engine) feedsOf(fn *ssa.Function) []feed {
	if fs, ok := e.feeds[fn]; ok {
		return fs
	}
	var out []feed
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send:
				if c := e.chanPlace(x.Chan, 0).class; c != "" {
					out = append(out, feed{instr, c, false})
				}
			case ssa.CallInstruction:
				if _, isGo := instr.(*ssa.Go); isGo {
					continue
				}
				if _, isDefer := instr.(*ssa.Defer); isDefer {
					continue // it runs at the return, after every wait
				}
				common := x.Common()
				if bi, ok := common.Value.(*ssa.Builtin); ok {
					if bi.Name() == "close" && len(common.Args) == 1 {
						if c := e.chanPlace(common.Args[0], 0).class; c != "" {
							out = append(out, feed{instr, c, true})
						}
					}
					continue
				}
				callees := e.callees(x)
				if len(callees) != 1 || callees[0].dynamic {
					continue
				}
				s := e.summaryOf(callees[0].fn)
				if s == nil {
					continue
				}
				args := callArgs(common)
				for _, op := range s.Chans {
					if !op.Must || (op.Kind != KindClose && op.Kind != KindSend) {
						continue
					}
					if t, _, ok := e.translateAt(args, op, false); ok && t.Class != "" {
						out = append(out, feed{instr, t.Class, op.Kind == KindClose})
					}
				}
			}
		}
	}
	if e.feeds == nil {
		e.feeds = map[*ssa.Function][]feed{}
	}
	if e.final[fn] || !e.inPkg[fn] {
		e.feeds[fn] = out
	}
	return out
}

// fedBefore returns the channel classes that fn closes (with sends set:
// or sends on) before instruction at, on every path to it, sorted.
func (e *engine) fedBefore(fn *ssa.Function, at ssa.Instruction, sends bool) []string {
	if fn == nil || at == nil || at.Block() == nil {
		return nil
	}
	var out []string
	for _, f := range e.feedsOf(fn) {
		if (f.close || sends) && f.at != at && before(f.at, at) && !slices.Contains(out, f.class) {
			out = append(out, f.class)
		}
	}
	slices.Sort(out)
	return out
}

// endedBy reports whether closing or feeding one of the classes fed ends
// the wait op.
func endedBy(op Op, fed []string) bool {
	for _, c := range op.Ends {
		if slices.Contains(fed, c) {
			return true
		}
	}
	return false
}
