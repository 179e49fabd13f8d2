package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// findSignalRoots finds the code that runs after a receive from a channel
// passed to signal.Notify, or after <-ctx.Done() on a context made by
// signal.NotifyContext. The root is the rest of the receiving function
// from the receive on (for a select, the receiving case).
func (e *engine) findSignalRoots() []*Root {
	classes := map[string]bool{}
	ctxClasses := map[string]bool{} // where NotifyContext's ctx is stored
	haveCtx := false
	// The first call of Notify for each class, and of NotifyContext:
	// what installs the handler, for the summaries (see install.go).
	notifies := map[string]ssa.CallInstruction{}
	var ctxNotify ssa.CallInstruction
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				switch e.installedBy(c) {
				case notifyFunc:
					if len(c.Call.Args) > 0 {
						these := map[string]bool{}
						if cl := e.signalClass(c.Call.Args[0], 0); cl != "" {
							these[cl] = true
						}
						e.storedClasses(c.Call.Args[0], these)
						for cl := range these {
							classes[cl] = true
							if notifies[cl] == nil {
								notifies[cl] = c
							}
						}
					}
				case notifyContextFunc:
					haveCtx = true
					if ctxNotify == nil {
						ctxNotify = c
					}
					for _, r := range *c.Referrers() {
						if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
							e.storedClasses(ex, ctxClasses)
						}
					}
				}
			}
		}
	}
	if len(classes) == 0 && !haveCtx {
		return nil
	}
	// isSignal returns the call of Notify (or NotifyContext) that
	// installs a receive from ch, or nil when ch is no signal channel.
	isSignal := func(ch ssa.Value) ssa.CallInstruction {
		if haveCtx && e.isNotifyContextDone(ch, ctxClasses) {
			return ctxNotify
		}
		if cl := e.signalClass(ch, 0); cl != "" && classes[cl] {
			return notifies[cl]
		}
		return nil
	}
	var roots []*Root
	for _, fn := range e.funcs {
		if e.localInstance(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for i, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.UnOp:
					if x.Op != token.ARROW {
						continue
					}
					if n := isSignal(x.X); n != nil {
						r := e.signalRoot(fn, x.Pos(), b, b, i+1)
						r.notify = n
						roots = append(roots, r)
					}
				case *ssa.Select:
					for k, st := range x.States {
						if st.Dir != types.RecvOnly {
							continue
						}
						if n := isSignal(st.Chan); n != nil {
							cb, start := selectCase(x, k), 0
							if cb == nil {
								cb, start = b, i+1
							}
							r := e.signalRoot(fn, st.Pos, b, cb, start)
							r.notify = n
							roots = append(roots, r)
						}
					}
				}
			}
		}
	}
	return roots
}

// signalClass returns the channel class of ch, looking through the
// callers for a channel received as a parameter.
func (e *engine) signalClass(ch ssa.Value, depth int) string {
	return e.callerClass(ch, e.chanPlace, false, depth)
}

// storedClasses adds to classes the variables and fields that the value v
// (a channel or a context) is stored into, so that a receive through one
// of them elsewhere is recognised: signal.Notify(ch) then &Daemon{sigs: ch}.
func (e *engine) storedClasses(v ssa.Value, classes map[string]bool) {
	for i := 0; i < maxPlaceDepth; i++ {
		if x, ok := v.(*ssa.ChangeType); ok {
			v = x.X
			continue
		}
		if x, ok := v.(*ssa.UnOp); ok && x.Op == token.MUL {
			if s := e.storedIn(x.X); s != nil {
				v = s
				continue
			}
		}
		break
	}
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Val == v {
			if p := e.addrPlace(st.Addr, 0); p.class != "" && !p.local {
				classes[p.class] = true
			}
		}
	}
}

// isNotifyContextDone reports whether ch is ctx.Done() for a context made
// by signal.NotifyContext, or loaded from a variable or field (of class
// in ctxClasses) that such a context is stored into.
func (e *engine) isNotifyContextDone(ch ssa.Value, ctxClasses map[string]bool) bool {
	call, ok := ch.(*ssa.Call)
	if !ok || !call.Call.IsInvoke() || call.Call.Method.Name() != "Done" {
		return false
	}
	if e.fromNotifyContext(call.Call.Value, 0) {
		return true
	}
	if ld, ok := call.Call.Value.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if p := e.addrPlace(ld.X, 0); p.class != "" && ctxClasses[p.class] {
			return true
		}
	}
	return false
}

func (e *engine) fromNotifyContext(v ssa.Value, depth int) bool {
	if depth > maxPlaceDepth {
		return false
	}
	switch x := v.(type) {
	case *ssa.Extract:
		if c, ok := x.Tuple.(*ssa.Call); ok && x.Index == 0 {
			return e.installedBy(c) == notifyContextFunc
		}
	case *ssa.FreeVar:
		if b := e.binding(x); b != nil {
			return e.fromNotifyContext(b, depth+1)
		}
	case *ssa.ChangeInterface:
		return e.fromNotifyContext(x.X, depth+1)
	case *ssa.MakeInterface:
		return e.fromNotifyContext(x.X, depth+1)
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if s := e.storedIn(x.X); s != nil {
				return e.fromNotifyContext(s, depth+1)
			}
		}
	case *ssa.Phi:
		for _, edge := range x.Edges {
			if edge != v && e.fromNotifyContext(edge, depth+1) {
				return true
			}
		}
	case *ssa.Parameter:
		idx := paramIndex(x)
		for _, c := range e.callers[x.Parent()] {
			if args := callArgs(c.Common()); idx >= 0 && idx < len(args) && e.fromNotifyContext(args[idx], depth+1) {
				return true
			}
		}
	}
	return false
}

func (e *engine) signalRoot(fn *ssa.Function, pos token.Pos, recv, b *ssa.BasicBlock, start int) *Root {
	r := &Root{Kind: RootSignal, Pos: pos, Name: displayName(fn, e.pkg), QName: displayName(fn, nil)}
	s, region := e.analyzeRegion(fn, recv, b, start)
	r.Locks, r.Waits, r.Chans = s.Locks, finalizedWaits(s.Waits, false), s.Chans
	r.Relocks = s.Relocks
	r.fieldCalls = s.Calls
	r.Before = e.before(fn, r.Locks)
	var calls []ssa.CallInstruction
	for blk := range region {
		for _, instr := range blk.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				calls = append(calls, c)
			}
		}
	}
	own := e.owned(nil, calls)
	r.Alone = e.alone(r.Chans, func(i ssa.Instruction) bool {
		return own[i.Parent()] || (i.Parent() == fn && region[i.Block()])
	})
	return r
}
