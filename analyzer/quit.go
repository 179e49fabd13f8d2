package analyzer

import (
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A shutdown often closes a quit channel before it takes the locks that
// the code it stops holds:
//
//	func (db *DB) Close() {
//		close(db.closeC) // every select on <-db.closeC returns
//		db.tr.lk.Lock()
//		...
//
// A holder of db.tr.lk that waits in a select with a case on <-db.closeC
// is released by the close, so it makes the root wait for no more than
// its own bounded work.
//
// closedBefore returns, for each lock class in locks, the channel classes
// that fn closes before every call in fn through which it takes that lock
// (the first hop of the lock's witness). fn is the root's function: a
// registered method value's wrapper is looked through.
func (e *engine) closedBefore(fn *ssa.Function, locks []Op) map[string][]string {
	fn = wrapped(fn)
	if fn == nil || fn.Blocks == nil {
		return nil
	}
	var closes []ssa.CallInstruction
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if bi, ok := c.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(c.Common().Args) == 1 {
					closes = append(closes, c)
				}
			}
		}
	}
	if len(closes) == 0 {
		return nil
	}
	var out map[string][]string
	for _, op := range locks {
		if op.Class == "" || len(op.Chain) < 2 {
			continue
		}
		at := e.callsAt(fn, HopPos(op.Chain[1]))
		if len(at) == 0 {
			continue
		}
		for _, c := range closes {
			ch := e.chanPlace(c.Common().Args[0], 0).class
			if ch == "" || slices.Contains(out[op.Class], ch) {
				continue
			}
			all := true
			for _, a := range at {
				if !before(c, a) {
					all = false
					break
				}
			}
			if all {
				if out == nil {
					out = map[string][]string{}
				}
				out[op.Class] = append(out[op.Class], ch)
			}
		}
	}
	for _, chs := range out {
		slices.Sort(chs)
	}
	return out
}

// callsAt returns the calls in fn at the position pos ("file.go:12").
func (e *engine) callsAt(fn *ssa.Function, pos string) []ssa.Instruction {
	if pos == "" {
		return nil
	}
	var out []ssa.Instruction
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(ssa.CallInstruction); ok && instr.Pos() != token.NoPos && e.posString(instr.Pos()) == pos {
				out = append(out, instr)
			}
		}
	}
	return out
}

// wrapped returns the method that a bound-method or method-expression
// wrapper calls, or fn itself.
func wrapped(fn *ssa.Function) *ssa.Function {
	if fn == nil || fn.Synthetic == "" {
		return fn
	}
	var callee *ssa.Function
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if callee != nil {
					return fn
				}
				callee = c.Common().StaticCallee()
			}
		}
	}
	if callee == nil {
		return fn
	}
	return callee
}

// HopPos returns the position of a witness hop "name (file.go:12)", or
// "".
func HopPos(hop string) string {
	i := strings.LastIndex(hop, " (")
	if i < 0 || !strings.HasSuffix(hop, ")") {
		return ""
	}
	return hop[i+2 : len(hop)-1]
}
