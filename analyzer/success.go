package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A function whose last result is an error says with it whether it did
// its work. The paths on which it returns an error that is surely not
// nil report a failure; the others report success:
//
//	if ch == nil {
//		return errNilChan // a failure: a sentinel error
//	}
//	err := s.add(subject, ch)
//	if err == nil {
//		offer(ch, interest)
//	}
//	return err // a failure when it comes from err != nil
//
// offer happens on every path that reports success (Op.MustOK). A caller
// that goes on only when the error is nil, or that drops the error
// (the call cannot fail with what it passes), counts on it.

// returnsError reports whether fn's last result is an error.
func returnsError(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	return res.Len() > 0 && types.Identical(res.At(res.Len()-1).Type(), errorType)
}

var errorType = types.Universe.Lookup("error").Type()

// mustPassOK reports whether every path from the entry block b to a
// return that may report success passes through one of the blocks
// through.
func mustPassOK(b *ssa.BasicBlock, through ...*ssa.BasicBlock) bool {
	tested := nilTested(b.Parent(), true)
	return !nilPaths(b, tested, through, func(x, from *ssa.BasicBlock, s nilState) bool {
		last, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return)
		return ok && (len(last.Results) == 0 || !failed(last.Results[len(last.Results)-1], from, x, s.notNil, tested, 0))
	})
}

// failed reports whether the error v, returned by block at entered from
// block from, is surely not nil there: a tested error on the branch that
// found it not nil, a sentinel error variable of a package, a value
// converted to an interface, a new error, or a φ-node whose edge from
// the block the path came from is one of those.
func failed(v ssa.Value, from, at *ssa.BasicBlock, notNil uint64, tested map[ssa.Value]int, depth int) bool {
	if i, ok := tested[nilKey(v)]; ok && notNil&(1<<i) != 0 {
		return true
	}
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return true
	case *ssa.UnOp:
		g, ok := x.X.(*ssa.Global)
		return ok && x.Op == token.MUL && g.Pkg != nil
	case *ssa.Call:
		if obj := funcObject(x.Call.StaticCallee()); obj != nil && obj.Pkg() != nil {
			switch obj.Pkg().Path() + "." + obj.Name() {
			case "errors.New", "fmt.Errorf":
				return true
			}
		}
	case *ssa.Phi:
		if depth > 4 || x.Block() != at || from == nil {
			return false
		}
		for i, p := range at.Preds {
			if p == from {
				return failed(x.Edges[i], nil, p, notNil, tested, depth+1)
			}
		}
	}
	return false
}

// successBlock says where a caller counts on the success of call: ok is
// false when it does not (it passes the error on, keeps it), and blk is
// nil when it counts on it everywhere (it drops the error), else the
// block that only a nil error enters (if err != nil { return err }).
func successBlock(call ssa.CallInstruction) (blk *ssa.BasicBlock, ok bool) {
	v := call.Value()
	if v == nil {
		return nil, false // go or defer
	}
	res := call.Common().Signature().Results()
	if res.Len() == 0 || !types.Identical(res.At(res.Len()-1).Type(), errorType) {
		return nil, false
	}
	var errs []ssa.Value
	if res.Len() == 1 {
		errs = append(errs, v)
	} else {
		for _, r := range *v.Referrers() {
			if x, isExtract := r.(*ssa.Extract); isExtract && x.Index == res.Len()-1 {
				errs = append(errs, x)
			}
		}
	}
	for _, e := range errs {
		// One test of the error against nil; its other uses are on the
		// branch that found it not nil (return err, a log of it).
		var fail *ssa.BasicBlock
		for _, r := range *e.Referrers() {
			bin, isBin := r.(*ssa.BinOp)
			if !isBin {
				continue
			}
			x, nilIfTrue, isTest := nilTest(bin)
			if !isTest || x != e || len(*bin.Referrers()) != 1 || blk != nil {
				return nil, false
			}
			i, isIf := (*bin.Referrers())[0].(*ssa.If)
			if !isIf {
				return nil, false
			}
			blk, fail = i.Block().Succs[1], i.Block().Succs[0]
			if nilIfTrue {
				blk, fail = fail, blk
			}
			if len(blk.Preds) != 1 || len(fail.Preds) != 1 {
				return nil, false
			}
		}
		for _, r := range *e.Referrers() {
			if _, isBin := r.(*ssa.BinOp); isBin {
				continue
			}
			if fail == nil || !fail.Dominates(r.Block()) {
				return nil, false
			}
		}
	}
	return blk, true
}
