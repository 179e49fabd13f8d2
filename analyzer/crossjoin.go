package analyzer

import (
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// This file joins goroutines across functions through the WaitGroup
// that counts them. A function can start goroutines that a WaitGroup
// counts and leave the wait to its caller: a Group's Go adds to the
// Group's WaitGroup, starts a goroutine that calls Done last, and
// returns; the Group's Wait waits on that WaitGroup. The summary of
// the first says which WaitGroups count every goroutine start it
// exports (Summary.Counted, by access path from its parameters), that
// of the second which WaitGroups it waits on on every path
// (Summary.Joins). A caller that, after the call, waits on the same
// WaitGroup (the same access path, restated through the arguments of
// each call) on every path to its return joins those goroutines: they
// are not its goroutine starts. A caller that waits on another
// instance, on some paths only, or before the call, does not.
//
// What a joined goroutine starts itself runs on: a start is counted only
// when its goroutine starts nothing (other than the functions its
// starter is given to run, which the caller adds back through
// Summary.Spawns). An access path through a pointer field (r.g.wg) is
// taken to name the same WaitGroup at the call and at the wait, as the
// relock rule takes it for a mutex: a store into r.g in between is not
// seen.

// crossOut is what the walk of a function found for its summary's
// Counted and Joins.
type crossOut struct {
	counted, joins []string
}

// crossJoins returns what analyzeFunc records in fn's summary as
// Counted and Joins, from its last walk.
func (e *engine) crossJoins(fn *ssa.Function) (counted, joins []string) {
	x := e.joinIdx()
	out := x.cross[fn]
	return out.counted, out.joins
}

// countedPathAt returns the access path of the WaitGroup that counts
// every goroutine that the start at instr makes (see ownCountedPath),
// or "".
func (e *engine) countedPathAt(instr ssa.Instruction) string {
	path := ""
	sites := e.joinIdx().sites[instr]
	if g, ok := instr.(*ssa.Go); ok && len(sites) == 0 {
		// A spawner's start, which runs what its callers pass: not a
		// goroutine start of the package (see spawnSites), but counted
		// all the same.
		for _, c := range e.callees(g) {
			sites = append(sites, &goSite{instr: g, fn: c.fn, args: closureArgs(&g.Call), wg: place{param: -1}})
		}
	}
	for i, s := range sites {
		if !e.startsNothing(s.fn) {
			return "" // what the goroutine starts would run on after a join
		}
		p := e.ownCountedPath(s)
		if p == "" || (i > 0 && p != path) {
			return ""
		}
		path = p
	}
	return path
}

// ownCountedPath returns the access path of the WaitGroup that counts
// the goroutine of site, a start of fn that fn does not join: an Add on
// it comes before the start on every path (or the start is its
// WaitGroup.Go), and the goroutine calls its Done last. It returns ""
// when there is none, or when its path does not start at a parameter or
// a package-level variable.
func (e *engine) ownCountedPath(site *goSite) string {
	if site.wg.class != "" {
		if c, ok := site.instr.(*ssa.Call); ok && len(c.Call.Args) > 0 {
			if p := e.lockPath(c.Call.Args[0], 0); portable(p) {
				return p
			}
		}
		return ""
	}
	fn := site.instr.Parent()
	for class, adds := range e.joinIdx().adds {
		for _, a := range adds {
			c, ok := a.(*ssa.Call)
			if !ok || a.Parent() != fn || !before(a, site.instr) || len(c.Call.Args) == 0 {
				continue
			}
			p := e.lockPath(c.Call.Args[0], 0)
			if portable(p) && e.finishesWith(site, class, endsWait) {
				return p
			}
		}
	}
	return ""
}

// startsOf returns the goroutine starts of fn, other than those of the
// functions its callers pass it to run on a goroutine (which they
// account for, see Summary.Spawns): its summary's, or while that is not
// made yet, those of its walk, when every function of the package it
// calls has its summary. ok is false when they are not known.
func (e *engine) startsOf(fn *ssa.Function) (ops []Op, ok bool) {
	return e.startsOfDepth(fn, 0)
}

func (e *engine) startsOfDepth(fn *ssa.Function, depth int) (ops []Op, ok bool) {
	if depth > maxPlaceDepth {
		return nil, false
	}
	if !e.inPkg[fn] {
		s := e.summaryOf(fn)
		if s == nil {
			return nil, false
		}
		return s.Go, true
	}
	if s, done := e.summaries[fn]; done && s != nil {
		return s.Go, true
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, isCall := instr.(ssa.CallInstruction); isCall {
				for _, ce := range e.callees(c) {
					if _, done := e.summaries[ce.fn]; !e.inPkg[ce.fn] || done || ce.fn == fn {
						continue
					}
					// Not made yet (a closure it passes to sync.Once.Do):
					// known only when it starts nothing itself.
					if ops, ok := e.startsOfDepth(ce.fn, depth+1); !ok || len(ops) > 0 {
						return nil, false
					}
				}
			}
		}
	}
	_, had := e.roundWalks[fn]
	w := e.blockWalk(fn)
	if !e.final[fn] && !had {
		delete(e.roundWalks, fn)
	}
	if w == nil {
		return nil, false
	}
	return w.sum.gos.list(), len(w.sum.gos.m) <= 1
}

// startsNothing reports whether the goroutine function fn starts no
// goroutine itself (see startsOf).
func (e *engine) startsNothing(fn *ssa.Function) bool {
	ops, ok := e.startsOf(fn)
	return ok && len(ops) == 0
}

// objPath is lockPath, rooted also at the result of a call made in the
// function ("~t3|"): one object for as long as the call does not run
// again.
func (e *engine) objPath(v ssa.Value, depth int) string {
	if p := e.lockPath(v, 0); p != "" || depth > maxPlaceDepth {
		return p
	}
	switch x := v.(type) {
	case *ssa.Call, *ssa.Extract:
		return "~" + x.Name() + "|"
	case *ssa.FieldAddr:
		if base, name := e.objPath(x.X, depth+1), fieldName(x.X.Type(), x.Field); base != "" && name != "" {
			return base + "." + name
		}
	case *ssa.UnOp:
		if base := e.objPath(x.X, depth+1); base != "" && x.Op == token.MUL && e.localVar(x.X, depth) == nil {
			return base + "*"
		}
	case *ssa.ChangeType:
		return e.objPath(x.X, depth+1)
	}
	return ""
}

// restateObj is restate with objPath: a callee's access path in the
// caller, from the arguments of the call, or "".
func (e *engine) restateObj(path string, args []ssa.Value) string {
	return restateWith(path, args, e.objPath)
}

// waitsOn returns the access paths, in fn, of the WaitGroups that the
// call c waits on: a WaitGroup.Wait, or a call of a function whose
// summary joins them, restated through the call's arguments.
func (e *engine) waitsOn(c ssa.CallInstruction) []string {
	common := c.Common()
	if obj := funcObject(common.StaticCallee()); obj != nil && e.fullName(obj) == waitGroupWait {
		if len(common.Args) == 0 {
			return nil
		}
		if p := e.objPath(common.Args[0], 0); p != "" {
			return []string{p}
		}
		return nil
	}
	callee := common.StaticCallee()
	if callee == nil {
		return nil
	}
	s := e.summaryOf(callee)
	if s == nil {
		return nil
	}
	var out []string
	for _, j := range s.Joins {
		if p := e.restateObj(j, callArgs(common)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// joinedLater reports whether, on every path from the call c to the
// return of its function, a later call waits on the WaitGroup at path:
// a path that makes the variable the path starts at again (an
// allocation in a loop) before the wait does not count.
func (e *engine) joinedLater(c ssa.CallInstruction, path string, waits map[ssa.Instruction][]string) bool {
	at := map[ssa.Instruction]bool{}
	for instr, ps := range waits {
		if instr != c && slices.Contains(ps, path) {
			at[instr] = true
		}
	}
	if len(at) == 0 {
		return false
	}
	var stop ssa.Instruction
	if root, _, _ := strings.Cut(path, "|"); strings.HasPrefix(root, "~") {
		for _, b := range c.Parent().Blocks {
			for _, instr := range b.Instrs {
				switch v := instr.(type) {
				case *ssa.Alloc, *ssa.Call, *ssa.Extract:
					if v.(ssa.Value).Name() == root[1:] {
						stop = instr
					}
				}
			}
		}
	}
	b := c.Block()
	return passesFrom(b, slices.Index(b.Instrs, ssa.Instruction(c))+1, stop, at)
}

// settleCounted drops from the walk's goroutine starts those of calls
// that the function joins later through the WaitGroups that count them,
// and records what the function's summary says of the WaitGroups that
// count its starts and of those it waits on. own holds the keys of the
// function's own starts that settleGos recorded, each with whether a
// WaitGroup at one of the paths counted counts it.
func (w *walker) settleCounted(own map[string]bool, counted []string) {
	e, fn := w.e, w.fn
	x := e.joinIdx()
	if len(fn.Blocks) == 0 {
		x.cross[fn] = crossOut{}
		return
	}
	waits := map[ssa.Instruction][]string{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok {
				if ps := e.waitsOn(c); len(ps) > 0 {
					waits[c] = ps
				}
			}
		}
	}
	keep := map[string]bool{} // starts that some call or start makes, not joined
	drop := map[string]bool{} // starts of calls joined later
	countedKeys := map[string]bool{}
	var adds []Op
	for k, isCounted := range own {
		if isCounted {
			countedKeys[k] = true
		} else {
			keep[k] = true
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
			for _, v := range c.Common().Args {
				if f := funcValueOf(v); f != nil {
					if s := e.summaryOf(f); s != nil {
						for _, op := range s.Go {
							keep[opKey(op)] = true
						}
					}
				}
			}
			for _, ce := range e.callees(c) {
				s := e.summaryOf(ce.fn)
				if s == nil || len(s.Go) == 0 {
					continue
				}
				call, isCall := instr.(*ssa.Call)
				var paths []string
				if isCall && !ce.dynamic && !ce.invoked && len(s.Counted) > 0 {
					for _, p := range s.Counted {
						q := e.restateObj(p, callArgs(c.Common()))
						if q == "" {
							paths = nil
							break
						}
						paths = append(paths, q)
					}
				}
				joined := len(paths) > 0
				for _, p := range paths {
					if !e.joinedLater(call, p, waits) {
						joined = false
					}
				}
				var then []Op // what the joined goroutines start, which runs on
				if joined {
					then, joined = e.spawnedGos(c, ce.fn, s)
				}
				for _, op := range then {
					keep[opKey(op)] = true
					adds = append(adds, op)
				}
				for _, op := range s.Go {
					k := opKey(op)
					switch {
					case joined:
						drop[k] = true
					case len(paths) > 0 && !slices.ContainsFunc(paths, func(p string) bool { return !portable(p) }):
						countedKeys[k] = true
						counted = append(counted, paths...)
					default:
						keep[k] = true
					}
				}
			}
		}
	}
	for k := range drop {
		if !keep[k] && !countedKeys[k] {
			delete(w.sum.gos.m, k)
		}
	}
	for _, op := range adds {
		w.sum.gos.add(op)
	}
	uncounted := false
	for k := range w.sum.gos.m {
		if keep[k] || !countedKeys[k] {
			uncounted = true
		}
	}
	var out crossOut
	if !uncounted && len(w.sum.gos.m) > 0 && len(counted) > 0 {
		slices.Sort(counted)
		out.counted = slices.Compact(counted)
	}
	// The WaitGroups waited on on every path.
	var all []string
	for _, ps := range waits {
		for _, p := range ps {
			if portable(p) && !slices.Contains(all, p) {
				all = append(all, p)
			}
		}
	}
	slices.Sort(all)
	for _, p := range all {
		at := map[ssa.Instruction]bool{}
		for instr, ps := range waits {
			if slices.Contains(ps, p) {
				at[instr] = true
			}
		}
		if passesFrom(fn.Blocks[0], 0, nil, at) {
			out.joins = append(out.joins, p)
		}
	}
	x.cross[fn] = out
}

// spawnedGos returns the goroutine starts of the functions that the
// call c passes to callee to run on the goroutines it starts (its
// summary's Spawns), their witnesses through c; ok is false when one of
// them is not known.
func (e *engine) spawnedGos(c ssa.CallInstruction, callee *ssa.Function, s *Summary) (out []Op, ok bool) {
	args := callArgs(c.Common())
	h := e.hop(e.callName(callee), c.Pos())
	for _, p := range s.Spawns {
		if p >= len(args) {
			return nil, false
		}
		fs := e.funcValues(args[p], 0)
		if len(fs) == 0 {
			return nil, false
		}
		for _, g := range fs {
			gos, known := e.startsOf(g)
			if !known {
				return nil, false
			}
			gh := e.hop(displayName(g, e.pkg), c.Pos())
			for _, op := range gos {
				t := op
				t.Chain = prepend(h, prepend(gh, op.Chain))
				out = append(out, t)
			}
		}
	}
	return out, true
}

// funcValueOf returns the function a value passed as an argument runs,
// when it is one named by the code or a closure.
func funcValueOf(v ssa.Value) *ssa.Function {
	switch f := v.(type) {
	case *ssa.Function:
		return f
	case *ssa.MakeClosure:
		fn, _ := f.Fn.(*ssa.Function)
		return fn
	}
	return nil
}
