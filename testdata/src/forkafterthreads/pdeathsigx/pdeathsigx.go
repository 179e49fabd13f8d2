// Package pdeathsigx sets Pdeathsig in one function and starts the
// command in another: a constructor that returns it, a helper method that
// stores it into a field, a constructor that stores it into the struct it
// returns. Each hazard has a twin that locks the starting goroutine.
package pdeathsigx

import (
	"os/exec"
	"runtime"
	"syscall"
)

// newCmd is a constructor: the literal sets Pdeathsig.
func newCmd() *exec.Cmd {
	return &exec.Cmd{Path: "/bin/sleep", SysProcAttr: &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}}
}

// newAssigned sets Pdeathsig by field assignment.
func newAssigned() *exec.Cmd {
	cmd := exec.Command("sleep", "100")
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	return cmd
}

// wrapped returns the constructor's command: a constructor too.
func wrapped() *exec.Cmd { return newCmd() }

// plain sets no signal.
func plain() *exec.Cmd { return exec.Command("true") }

// A Runner builds its command in one method and starts it in another.
type Runner struct {
	cmd  *exec.Cmd
	done chan error
}

// build stores a command with Pdeathsig into r.cmd.
func (r *Runner) build() {
	r.cmd = exec.Command("sleep", "100")
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// New stores such a command into the Runner it returns.
func New() *Runner {
	return &Runner{cmd: newCmd()}
}

// Start starts the command that build made, on whatever thread it runs.
func (r *Runner) Start() error {
	r.build()
	return r.cmd.Start() // want `^\(\*exec.Cmd\).Start of a command with SysProcAttr.Pdeathsig, without runtime.LockOSThread before it: .*; Pdeathsig set: \(\*Runner\).build \(pdeathsigx.go:51\) → SysProcAttr.Pdeathsig \(pdeathsigx.go:41\) \(forkafterthreads/pdeathsig\)$`
}

// StartLocked locks its goroutine to the thread before the start: the
// usual upstream fix.
func (r *Runner) StartLocked() error {
	runtime.LockOSThread()
	r.build()
	return r.cmd.Start()
}

// StartSometimesLocked locks only on one path.
func (r *Runner) StartSometimesLocked(lock bool) error {
	if lock {
		runtime.LockOSThread()
	}
	return r.cmd.Start() // want `^\(\*exec.Cmd\).Start of a command with SysProcAttr.Pdeathsig`
}

func run() error {
	return newCmd().Run() // want `^\(\*exec.Cmd\).Run of a command with SysProcAttr.Pdeathsig, .*; Pdeathsig set: newCmd \(pdeathsigx.go:72\) → SysProcAttr.Pdeathsig \(pdeathsigx.go:15\) \(forkafterthreads/pdeathsig\)$`
}

func runAssigned() ([]byte, error) {
	cmd := newAssigned()
	return cmd.Output() // want `^\(\*exec.Cmd\).Output of a command with SysProcAttr.Pdeathsig, .*; Pdeathsig set: newAssigned \(pdeathsigx.go:76\) → SysProcAttr.Pdeathsig \(pdeathsigx.go:22\)`
}

func runWrapped() error {
	return wrapped().Start() // want `Pdeathsig set: wrapped \(pdeathsigx.go:81\) → newCmd \(pdeathsigx.go:27\) → SysProcAttr.Pdeathsig \(pdeathsigx.go:15\)`
}

// inGoroutine starts the command on a goroutine that does not lock.
func inGoroutine() {
	cmd := newCmd()
	go func() {
		cmd.Run() // want `^\(\*exec.Cmd\).Run of a command with SysProcAttr.Pdeathsig`
	}()
}

// goStart locks its own thread, but the start runs on a new goroutine.
func goStart() {
	runtime.LockOSThread()
	go newCmd().Run() // want `^\(\*exec.Cmd\).Run of a command with SysProcAttr.Pdeathsig`
}

func (r *Runner) startNew() error {
	return New().cmd.Start() // want `Pdeathsig set: New \(pdeathsigx.go:99\) → newCmd \(pdeathsigx.go:46\) → SysProcAttr.Pdeathsig \(pdeathsigx.go:15\)`
}

// Safe twins.

// runLocked locks the thread first.
func runLocked() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return newCmd().Run()
}

// inLockedGoroutine starts it from a goroutine locked to its thread.
func inLockedGoroutine() {
	cmd := newCmd()
	done := make(chan error)
	go func() {
		runtime.LockOSThread()
		done <- cmd.Run()
	}()
	<-done
}

// runPlain starts a command without Pdeathsig.
func runPlain() error { return plain().Run() }

// buildOnly builds the command and never starts it.
func buildOnly() *Runner {
	r := &Runner{}
	r.build()
	return r
}
