package forkafterthreads

import "github.com/finalock/finalock/analyzer"

// deathsigStarts reports the starts of commands whose
// SysProcAttr.Pdeathsig another function set (a constructor that returns
// them, a helper that stores them into a field), on a goroutine that has
// not locked its thread: the engine follows the command value and checks
// the lock in the starting function.
func (c *checker) deathsigStarts() {
	for _, s := range c.res.DeathsigStarts() {
		steps := analyzer.HopSteps(s.Chain)
		c.report(s.Pos, RulePdeathsig, steps, "%s of a command with SysProcAttr.Pdeathsig, without runtime.LockOSThread before it: the signal is sent when the OS thread that started the child exits, not the process, so the child can be killed at any moment (golang/go#27505); lock the starting goroutine with runtime.LockOSThread, on every path before the start, for the child's life; Pdeathsig set: %s",
			s.Call, analyzer.RenderSteps(steps))
	}
}
