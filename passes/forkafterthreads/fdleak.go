package forkafterthreads

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/finalock/finalock/analyzer"
)

// fdleak reports the calls that the engine finds create descriptors
// without close-on-exec and never mark them, or mark them outside
// syscall.ForkLock: the race window counts where a process may start
// meanwhile.
func (c *checker) fdleak() {
	crs := c.res.FdCreations()
	if len(crs) == 0 {
		return
	}
	calls := map[token.Pos]*ast.CallExpr{}
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				calls[call.Lparen] = call
			}
			return true
		})
	}
	for _, cr := range crs {
		call := calls[cr.Lparen]
		if call == nil {
			continue
		}
		switch {
		case !cr.Marked:
			c.reportLeak(call, cr)
		case c.startsProcesses():
			c.reportRace(call, cr)
		}
	}
}

// startsProcesses reports whether a process may start while a
// descriptor waits to be marked: the package is a library (it cannot know
// that its importers never start processes), or a program that starts
// one itself, or that uses os/exec, or imports a package that does.
// Without it (a command that starts nothing), the window is harmless: the
// descriptor is close-on-exec before any exec.
func (c *checker) startsProcesses() bool {
	if c.spawns != nil {
		return *c.spawns
	}
	found := c.pass.Pkg.Name() != "main" || c.packageStarts()
	for _, obj := range c.info.Uses {
		if found {
			break
		}
		if fn, ok := obj.(*types.Func); ok && fn.Pkg() != nil {
			_, start := analyzer.ProcessStart(fn.FullName())
			found = start || fn.Pkg().Path() == "os/exec"
		}
	}
	seen := map[*types.Package]bool{}
	var imports func(p *types.Package)
	imports = func(p *types.Package) {
		for _, imp := range p.Imports() {
			if found || seen[imp] {
				continue
			}
			seen[imp] = true
			found = imp.Path() == "os/exec"
			imports(imp)
		}
	}
	imports(c.pass.Pkg)
	c.spawns = &found
	return found
}

// packageStarts reports whether a function of the package starts a
// process, as the engine's summaries say.
func (c *checker) packageStarts() bool {
	for _, d := range c.decls {
		if d.fn != nil {
			if s := c.res.Summary(d.fn); s != nil && s.Starts != nil {
				return true
			}
		}
	}
	return false
}

func (c *checker) reportLeak(call *ast.CallExpr, cr analyzer.FdCreation) {
	p := cr.PkgName
	it, leaks := "the descriptor", "it leaks"
	if cr.Pair {
		it, leaks = "the descriptors", "they leak"
	}
	var msg string
	if cr.Flag != "" {
		msg = fmt.Sprintf("%s without %s.%s: %s %s; add %s.%s to the flags",
			cr.Call, p, cr.Flag, leakWords(cr.Pair), leakConsequence, p, cr.Flag)
	} else {
		lacking := ""
		if cr.Missing != "" {
			lacking = fmt.Sprintf(" (%s has no %s on this platform)", p, cr.Missing)
		}
		msg = fmt.Sprintf("%s creates %s without close-on-exec%s: %s %s; %s",
			cr.Call, it, lacking, leaks, leakConsequence, fixWords(cr))
	}
	if cr.Chain != nil {
		msg += ": " + analyzer.RenderSteps(cr.Chain)
	}
	c.reportFixed(call.Pos(), RuleFDLeak, cr.Chain, c.suggestedFix(call, cr), "%s", msg)
}

// leakWords says that the descriptors leak.
func leakWords(pair bool) string {
	if pair {
		return "the descriptors leak"
	}
	return "the descriptor leaks"
}

func (c *checker) reportRace(call *ast.CallExpr, cr analyzer.FdCreation) {
	p := cr.PkgName
	var msg string
	if cr.Flag != "" {
		msg = fmt.Sprintf("%s without %s.%s, marked close-on-exec only after creation, outside syscall.ForkLock.RLock: a process started concurrently inherits it; add %s.%s to the flags",
			cr.Call, p, cr.Flag, p, cr.Flag)
	} else {
		it, them := "the descriptor", "it"
		if cr.Pair {
			it, them = "the descriptors", "them"
		}
		msg = fmt.Sprintf("%s creates %s without close-on-exec, marked close-on-exec only after creation, outside syscall.ForkLock.RLock: a process started concurrently inherits %s; create and mark %s under syscall.ForkLock.RLock",
			cr.Call, it, them, them)
		if cr.Fix != "" {
			msg += ", or use " + cr.Fix
		}
	}
	if cr.Chain != nil {
		msg += ": " + analyzer.RenderSteps(cr.Chain)
	}
	c.reportFixed(call.Pos(), RuleFDLeak, cr.Chain, c.suggestedFix(call, cr), "%s", msg)
}

// fixWords says how to create the descriptor with close-on-exec.
func fixWords(cr analyzer.FdCreation) string {
	if cr.Fix != "" {
		return "use " + cr.Fix
	}
	return fmt.Sprintf("mark it with %s.CloseOnExec under syscall.ForkLock.RLock", cr.PkgName)
}
