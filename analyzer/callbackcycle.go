package analyzer

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A callback that waits, while the root that runs it holds a lock L at
// the call, for a goroutine that needs L before it answers (it starts a
// goroutine that calls l.Close() and waits for it) deadlocks the root
// with that goroutine: the root takes L again, through the goroutine it
// waits for. The root's package cannot see the callback, and the
// callback's package cannot see the section, so the callback root
// records it as a Relock whose second acquisition waits for a goroutine
// (a join hop in its chain); the cycle rule reports it.
//
// It is recorded only on proof: the callback starts the goroutine, so the
// goroutine reaches its acquisition while the root holds the lock (a
// goroutine started earlier may be past it by then); the lock it takes
// is the lock the root holds, on the object the callback is stored into
// (or a package-level mutex, which has one instance), at every start of
// that goroutine; and not two read locks.

// callbackCycles returns the locks that the root of cb holds at the call
// of the callback fn, whose summary is s, paired with the acquisitions
// of a goroutine that fn starts and waits for, on the same lock. flat
// restates an operation of the callback from the root, and base is the
// object fn is stored into.
func (e *engine) callbackCycles(cb rootCallback, fn *ssa.Function, s *Summary, base ssa.Value, flat func(Op) Op) []Relock {
	var out []Relock
	for _, held := range cb.Call.Held {
		if held.Kind == KindToken || len(held.Chain) == 0 {
			continue
		}
		for _, op := range s.Locks {
			if op.Class != held.Class || op.Kind == KindToken || held.Kind == KindRLock && op.Kind == KindRLock {
				continue
			}
			if j, ok := soleJoin(op.Chain); ok && e.partnerLocks(op, j, fn, base) {
				out = append(out, Relock{Held: held, Again: flat(op)})
				break
			}
		}
	}
	return out
}

// soleJoin returns the join hop of chain when it has exactly one and no
// buffer on the way: the wait waits for that goroutine to reach the
// operation at the end of the chain.
func soleJoin(chain []Hop) (Hop, bool) {
	var j Hop
	n := 0
	for _, h := range chain {
		if h.Buffer {
			return Hop{}, false
		}
		if h.Join {
			j, n = h, n+1
		}
	}
	return j, n == 1
}

// partnerLocks reports whether the goroutine that the join hop j waits
// for is started by the callback fn itself, after the root took the lock
// (a goroutine started earlier may be past its acquisition by then), and
// takes the lock of op's class on the object base the callback is stored
// into, or the lock is a package-level mutex. Every start of that
// goroutine's function must be in fn, and every lock of the class it
// takes must be taken on base.
func (e *engine) partnerLocks(op Op, j Hop, fn *ssa.Function, base ssa.Value) bool {
	global := e.packageMutex(op.Class)
	if !global && base == nil {
		return false
	}
	found := false
	for _, site := range e.gos {
		if e.goName(site) != j.Func {
			continue
		}
		if site.instr.Parent() != fn {
			return false
		}
		s := e.summaryOf(site.fn)
		if s == nil {
			return false
		}
		takes := false
		for _, l := range s.Locks {
			if l.Class != op.Class {
				continue
			}
			if !global {
				v := e.lockedArg(site.fn, l)
				if v == nil || !sameValue(e.outerValue(v), base) {
					return false
				}
			}
			takes = true
		}
		if !takes {
			return false
		}
		found = true
	}
	return found
}

// lockedArg returns the argument of the call in fn, at the first hop of
// the lock op l of fn's summary, on which the callee takes the lock: the
// argument for the parameter its summary names. Nil when the hop is not
// such a call, or its callees take the lock on different arguments.
func (e *engine) lockedArg(fn *ssa.Function, l Op) ssa.Value {
	if len(l.Chain) < 2 {
		return nil
	}
	at := l.Chain[0]
	var out ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if h := e.at(c.Pos()); h.File != at.File || h.Line != at.Line {
				continue
			}
			args := callArgs(c.Common())
			for _, ce := range e.callees(c) {
				cs := e.summaryOf(ce.fn)
				if cs == nil {
					continue
				}
				for _, op := range cs.Locks {
					if op.Class != l.Class {
						continue
					}
					if op.Param < 0 || op.Param >= len(args) || out != nil && out != args[op.Param] {
						return nil
					}
					out = args[op.Param]
				}
			}
		}
	}
	return out
}

// outerValue returns the value that v, a closure's free variable or a
// load of one it captures by reference, has where the outermost closure
// is made; v itself for another value, nil when unknown.
func (e *engine) outerValue(v ssa.Value) ssa.Value {
	for i := 0; i <= maxPlaceDepth; i++ {
		switch x := v.(type) {
		case *ssa.UnOp:
			fv, ok := x.X.(*ssa.FreeVar)
			if !ok || x.Op != token.MUL {
				return v
			}
			if v = e.storedIn(fv); v == nil {
				return nil
			}
		case *ssa.FreeVar:
			if v = e.binding(x); v == nil {
				return nil
			}
		default:
			return v
		}
	}
	return nil
}

// packageMutex reports whether class names a package-level variable of
// this package or of one it imports.
func (e *engine) packageMutex(class string) bool {
	i := strings.LastIndex(class, ".")
	if i < 0 {
		return false
	}
	path, name := class[:i], class[i+1:]
	pkg := e.pkg
	if pkg.Path() != path {
		pkg = nil
		for _, imp := range e.pkg.Imports() {
			if imp.Path() == path {
				pkg = imp
				break
			}
		}
	}
	if pkg == nil {
		return false
	}
	v, ok := pkg.Scope().Lookup(name).(*types.Var)
	return ok && v.Parent() == pkg.Scope()
}
