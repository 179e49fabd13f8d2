package lockinfinalizer

import "github.com/finalock/finalock/analyzer"

// A root that holds a lock while it waits for a goroutine that takes that
// lock first takes it again through the goroutine: a Relock whose second
// acquisition waits for a goroutine (a join hop in its chain; see the
// analyzer's callbackcycle.go). The root and the goroutine wait for each
// other, so it is a cycle, with the root as the holder.

// throughJoin reports whether the relock rl takes the lock again in a
// goroutine the root waits for.
func throughJoin(rl analyzer.Relock) bool {
	for _, h := range rl.Again.Chain {
		if h.Join {
			return true
		}
	}
	return false
}

// proxyCycle returns the cycle that the relock rl through a goroutine
// makes: the root takes the lock (in that goroutine) that its own
// section holds across the wait for it.
func proxyCycle(root *analyzer.Root, rl analyzer.Relock) contention {
	where, from := holder(root, rl)
	op := rl.Again
	op.Chain = op.Chain[from:]
	return contention{op: rl.Again, cycle: &cycleProof{held: analyzer.Held{Class: rl.Held.Class, Op: op, Where: where}}}
}

// holder returns the hop of the function on the root's path that holds
// the lock of rl, at its acquisition, and the index in rl.Again's chain
// of the hop that function makes next on the way to the wait. A lock
// taken in a function off that path (a helper that returns holding it)
// is held by the root's function.
func holder(root *analyzer.Root, rl analyzer.Relock) (analyzer.Hop, int) {
	held, again := rl.Held.Chain, rl.Again.Chain
	if len(held) == 0 {
		return analyzer.Hop{Func: root.Name}, 0
	}
	acq := held[len(held)-1]
	where := analyzer.Hop{Func: root.Name, File: acq.File, Line: acq.Line}
	d := len(held) - 1
	if d == 0 || d >= len(again) {
		return where, 0
	}
	for i := 0; i < d; i++ {
		a, b := again[i], held[i]
		if a.Func != b.Func || a.File != b.File || a.Line != b.Line || a.Join {
			return where, 0
		}
	}
	where.Func = held[d-1].Func
	return where, d
}
