package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A chanIndex lists, once per package, what the channel shapes (tokens,
// onceFields) are decided on: every operation on a channel whose class is
// known, and every store of a channel, or of a bool into a field, into a
// variable or field whose class is known.
type chanIndex struct {
	uses   []chanUse
	stores []classStore // channel values
	flags  []classStore // bool values stored into fields
}

// A chanUse is one operation on a channel of a known class.
type chanUse struct {
	class string
	kind  Kind            // KindSend, KindRecv or KindClose
	instr ssa.Instruction // *ssa.Send, *ssa.UnOp, *ssa.Select, or the call of close
	// inSelect says the operation is a case of a select; kept that a
	// receive uses the value it receives (or its comma-ok).
	inSelect, kept bool
}

// A classStore is a store into a variable or field of a known class.
type classStore struct {
	class string
	st    *ssa.Store
}

// chanIndex builds the package's index on first use.
func (e *engine) chanIndex() *chanIndex {
	if e.chans != nil {
		return e.chans
	}
	x := &chanIndex{}
	use := func(ch ssa.Value, kind Kind, instr ssa.Instruction, inSelect, kept bool) {
		if c := e.chanPlace(ch, 0).class; c != "" {
			x.uses = append(x.uses, chanUse{c, kind, instr, inSelect, kept})
		}
	}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch i := instr.(type) {
				case *ssa.Store:
					switch t := i.Val.Type().Underlying().(type) {
					case *types.Chan:
						if c := e.addrPlace(i.Addr, 0).class; c != "" {
							x.stores = append(x.stores, classStore{c, i})
						}
					case *types.Basic:
						if _, field := i.Addr.(*ssa.FieldAddr); field && t.Kind() == types.Bool {
							if c := e.addrPlace(i.Addr, 0).class; c != "" {
								x.flags = append(x.flags, classStore{c, i})
							}
						}
					}
				case *ssa.Send:
					use(i.Chan, KindSend, i, false, false)
				case *ssa.UnOp:
					if i.Op == token.ARROW {
						use(i.X, KindRecv, i, false, i.CommaOk || len(*i.Referrers()) > 0)
					}
				case *ssa.Select:
					for _, st := range i.States {
						kind := KindRecv
						if st.Dir == types.SendOnly {
							kind = KindSend
						}
						use(st.Chan, kind, i, true, kind == KindRecv)
					}
				case ssa.CallInstruction:
					if bi, ok := i.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(i.Common().Args) == 1 {
						use(i.Common().Args[0], KindClose, instr, false, false)
					}
				}
			}
		}
	}
	e.chans = x
	return x
}
