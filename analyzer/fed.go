package analyzer

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// A feed is an instruction that closes a channel, or sends on it: a close
// or a send, or a call whose callee closes it, or sends on it on every
// path; or that signals a sync.Cond (Signal, Broadcast), which ends a
// Wait of a goroutine that checks the condition its signaller set
// (for !l.closing { l.cond.Wait() }).
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
	// ok, when set, is the block entered only when the call at reported
	// success: the feed counts in the blocks it dominates (a callee's
	// send on every path on which it returns a nil error).
	ok *ssa.BasicBlock
}

// reaches reports whether the feed comes before instruction at, on every
// path to it.
func (f feed) reaches(at ssa.Instruction) bool {
	return f.at != at && before(f.at, at) && (f.ok == nil || f.ok.Dominates(at.Block()))
}

// feedsOf returns the feeds of fn, computed once, or while its summary
// is not final, once until a summary changes (they depend on its
// callees').
func (e *engine) feedsOf(fn *ssa.Function) []feed {
	if fs, ok := e.feeds[fn]; ok {
		return fs
	}
	if fs, ok := e.feedsNow[fn]; ok {
		return fs
	}
	var out []feed
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send:
				if c := e.chanPlace(x.Chan, 0).class; c != "" {
					out = append(out, feed{at: instr, class: c})
				}
			case *ssa.Select:
				// An offer leaves a value in a buffer.
				if !x.Blocking && len(x.States) == 1 && x.States[0].Dir == types.SendOnly {
					if c := e.chanPlace(x.States[0].Chan, 0).class; c != "" && e.madeBuffered(c) {
						out = append(out, feed{at: instr, class: c})
					}
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
							out = append(out, feed{at: instr, class: c, close: true})
						}
					}
					continue
				}
				if obj := funcObject(common.StaticCallee()); obj != nil && len(common.Args) > 0 {
					if n := e.fullName(obj); n == condSignal || n == condBroadcast {
						if c := e.addrPlace(common.Args[0], 0).class; c != "" {
							out = append(out, feed{at: instr, class: c}) // signalling a Cond
						}
						continue
					}
				}
				if !common.IsInvoke() && common.StaticCallee() == nil {
					if p, ok := e.cancelPlace(common.Value, 0); ok {
						out = append(out, feed{at: instr, class: p.class, close: true}) // cancelling a context
						continue
					}
				}
				if c := closedHandle(e, common); c != "" {
					out = append(out, feed{at: instr, class: c, close: true})
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
				okSet := false
				var okBlk *ssa.BasicBlock
				okUsed := true
				for _, op := range s.Chans {
					// A close counts even on some paths only: a callee that
					// returns without closing has found the close under way
					// (a second Shutdown). A send must be sure, or sure
					// when the call succeeds and the caller counts on that.
					if op.Kind != KindClose && op.Kind != KindSend && op.Kind != KindDone && op.Kind != KindOffer {
						continue // a Done here is a Cond's Signal or Broadcast
					}
					var blk *ssa.BasicBlock
					if op.Kind != KindClose && !op.Must {
						if !op.MustOK {
							continue
						}
						if !okSet {
							okBlk, okUsed = successBlock(x)
							okSet = true
						}
						if !okUsed {
							continue
						}
						blk = okBlk
					}
					if t, _, ok := e.translateAt(args, op, false); ok && t.Class != "" {
						if op.Kind == KindOffer && !e.madeBuffered(t.Class) {
							continue // nothing may be there to take the value
						}
						out = append(out, feed{at: instr, class: t.Class, close: op.Kind == KindClose, ok: blk})
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
	} else {
		if e.feedsNow == nil {
			e.feedsNow = map[*ssa.Function][]feed{}
		}
		e.feedsNow[fn] = out
	}
	return out
}

// closedHandle returns the class of the connection, listener or server
// that the call closes (l.Close()), or "": closing it ends a wait for the
// outside world on it (an Accept, a Read, a Serve).
func closedHandle(e *engine, c *ssa.CallCommon) string {
	var name string
	switch {
	case c.IsInvoke():
		name = c.Method.Name()
	default:
		if fn := c.StaticCallee(); fn != nil && fn.Signature.Recv() != nil {
			name = fn.Name()
		}
	}
	args := callArgs(c)
	if name != "Close" || len(args) != 1 {
		return ""
	}
	return e.valuePlace(args[0]).class
}

// fedBefore returns the channel classes that fn closes (with sends set:
// or sends on) before instruction at, on every path to it, sorted.
func (e *engine) fedBefore(fn *ssa.Function, at ssa.Instruction, sends bool) []string {
	if fn == nil || at == nil || at.Block() == nil {
		return nil
	}
	var out []string
	for _, f := range e.feedsOf(fn) {
		if f.at == at || !(f.close || sends) || slices.Contains(out, f.class) {
			continue
		}
		// A send counts when it comes first on every path. A close counts
		// when it can come first: code that closes a channel on some
		// paths and then waits waits for what it closed (a listener
		// closed only when it runs, a counter of the goroutines to wait
		// for).
		if f.reaches(at) || f.close && (f.at.Block() != at.Block() && reachable(f.at.Block(), at.Block(), nil)) {
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
