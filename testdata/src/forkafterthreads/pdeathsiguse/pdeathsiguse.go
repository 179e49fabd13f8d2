// Package pdeathsiguse starts the commands that pdeathsiglib built.
package pdeathsiguse

import (
	"runtime"

	"forkafterthreads/pdeathsiglib"
)

func run() error {
	return pdeathsiglib.Command("sleep", "1").Run() // want `^\(\*exec.Cmd\).Run of a command with SysProcAttr.Pdeathsig, .*; Pdeathsig set: pdeathsiglib.Command \(pdeathsiguse.go:11\) → SysProcAttr.Pdeathsig \(pdeathsiglib.go:14\) \(forkafterthreads/pdeathsig\)$`
}

func serve(s *pdeathsiglib.Service) error {
	s.Prepare()
	return s.Cmd.Start() // want `^\(\*exec.Cmd\).Start of a command with SysProcAttr.Pdeathsig, .*; Pdeathsig set: \(\*pdeathsiglib.Service\).Prepare \(pdeathsiguse.go:15\) → Command \(pdeathsiglib.go:28\) → SysProcAttr.Pdeathsig \(pdeathsiglib.go:14\)`
}

// Safe twins.

func runLocked() error {
	runtime.LockOSThread()
	return pdeathsiglib.Command("sleep", "1").Run()
}

func serveLocked(s *pdeathsiglib.Service) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	s.Prepare()
	return s.Cmd.Start()
}

func runPlain() error { return pdeathsiglib.Plain("true").Run() }
