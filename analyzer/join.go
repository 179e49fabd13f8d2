package analyzer

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A join is the receive that waits for a goroutine to stop:
//
//	func (c *Cache) Stop() {
//		close(c.stop)
//		<-c.done
//	}
//
// where the only code that ever closes c.done, and nothing sends on it, is
// a goroutine function that watches c.stop. The receive waits for that
// goroutine to see the close: for what its loop is doing at the time, not
// for ever. What the goroutine does, apart from the select it idles in, is
// what the receive waits for.
type join struct {
	fn   *ssa.Function // the goroutine's function
	stop string        // the class of the channel the stopper closes
}

// findJoins finds the package's joins and the functions they wait for.
func (e *engine) findJoins() {
	var (
		sent     = map[string]bool{}
		closers  = map[string][]*ssa.Function{}
		watches  = map[*ssa.Function]map[string]bool{}
		closes   = map[*ssa.Function][]ssa.Instruction{}
		recvs    []*ssa.UnOp
		classOf  = map[ssa.Instruction]string{}
		addWatch = func(fn *ssa.Function, class string) {
			if watches[fn] == nil {
				watches[fn] = map[string]bool{}
			}
			watches[fn][class] = true
		}
	)
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Send:
					sent[e.chanPlace(x.Chan, 0).class] = true
				case *ssa.Select:
					for _, st := range x.States {
						c := e.chanPlace(st.Chan, 0).class
						if st.Dir == types.SendOnly {
							sent[c] = true
						} else if c != "" {
							addWatch(fn, c)
						}
					}
				case *ssa.UnOp:
					if x.Op == token.ARROW && e.futures[x] == nil {
						if c := e.chanPlace(x.X, 0).class; c != "" {
							addWatch(fn, c)
							recvs = append(recvs, x)
							classOf[x] = c
						}
					}
				case ssa.CallInstruction:
					if bi, ok := x.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(x.Common().Args) == 1 {
						if c := e.chanPlace(x.Common().Args[0], 0).class; c != "" {
							if l := closers[c]; len(l) == 0 || l[len(l)-1] != fn {
								closers[c] = append(closers[c], fn)
							}
							closes[fn] = append(closes[fn], x)
							classOf[x] = c
						}
					}
				}
			}
		}
	}
	for _, r := range recvs {
		done := classOf[r]
		g := closers[done]
		if sent[done] || PerCallChannel(done) || len(g) != 1 || g[0] == r.Parent() {
			continue
		}
		for _, c := range closes[r.Parent()] {
			stop := classOf[c]
			if stop == done || !watches[g[0]][stop] || !before(c, r) {
				continue
			}
			if e.joins == nil {
				e.joins = map[*ssa.UnOp]*join{}
			}
			e.joins[r] = &join{fn: g[0], stop: stop}
			e.waitsFor(r.Parent(), g[0])
			break
		}
	}
}

// waitsFor records that fn waits for what goroutine function g does: g's
// summary is needed before fn's.
func (e *engine) waitsFor(fn, g *ssa.Function) {
	if e.joinEdges == nil {
		e.joinEdges = map[*ssa.Function][]*ssa.Function{}
	}
	for _, x := range e.joinEdges[fn] {
		if x == g {
			return
		}
	}
	e.joinEdges[fn] = append(e.joinEdges[fn], g)
}

// joinStop applies, at the receive of a join, what the goroutine it waits
// for does, except the select it idles in and waits on the stop channel,
// which the close has made ready.
func (w *walker) joinStop(j *join, recv *ssa.UnOp, held heldSet) {
	h := hop("wait for "+displayName(j.fn, w.e.pkg)+" to stop", w.e.posString(recv.Pos()))
	w.waitFor(j.fn, nil, h, held, func(op Op) bool {
		return op.Param >= 0 || op.Class == j.stop || (len(op.Chain) == 1 && strings.HasSuffix(op.What, " in select"))
	})
}
