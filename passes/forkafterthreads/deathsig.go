package forkafterthreads

import (
	"go/ast"
	"go/token"

	"github.com/finalock/finalock/analyzer"
)

// deathsigStarts reports the starts of commands whose
// SysProcAttr.Pdeathsig another function set (a constructor that returns
// them, a helper that stores them into a field), on a goroutine that has
// not locked its thread: the engine follows the command value and checks
// the lock in the starting function. A function that sets Pdeathsig and
// starts a process itself is reported where it sets it, with the same
// check of the lock (runtime.LockOSThread before the start, on every
// path).
func (c *checker) deathsigStarts() {
	for _, s := range c.res.DeathsigStarts() {
		if s.Set.IsValid() {
			started := analyzer.HopSteps(s.Started)
			c.report(c.keyAt(s.Set), RulePdeathsig, started, "SysProcAttr.Pdeathsig without runtime.LockOSThread: the signal is sent when the OS thread that started the child exits, not the process, so the child can be killed at any moment (golang/go#27505); start it from a goroutine locked with runtime.LockOSThread that outlives the child; started: %s",
				analyzer.RenderSteps(started))
			continue
		}
		steps := analyzer.HopSteps(s.Chain)
		c.report(s.Pos, RulePdeathsig, steps, "%s of a command with SysProcAttr.Pdeathsig, without runtime.LockOSThread before it: the signal is sent when the OS thread that started the child exits, not the process, so the child can be killed at any moment (golang/go#27505); lock the starting goroutine with runtime.LockOSThread, on every path before the start, for the child's life; Pdeathsig set: %s",
			s.Call, analyzer.RenderSteps(steps))
	}
}

// keyAt returns the position of the key of the composite literal element
// whose colon is at pos (where SSA puts the store of the element), or pos.
func (c *checker) keyAt(pos token.Pos) token.Pos {
	key := pos
	for _, f := range c.pass.Files {
		if pos < f.FileStart || pos > f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil || key != pos || pos < n.Pos() || pos >= n.End() {
				return false
			}
			if kv, ok := n.(*ast.KeyValueExpr); ok && kv.Colon == pos {
				key = kv.Key.Pos()
			}
			return true
		})
	}
	return key
}
