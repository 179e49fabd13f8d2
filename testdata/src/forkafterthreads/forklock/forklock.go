package forklock

import (
	"os"
	"os/exec"
	"syscall"
)

func runUnderRLock() error {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	return exec.Command("true").Run() // want `^\(\*exec.Cmd\).Run while syscall.ForkLock is held \(RLock at forklock.go:10\): starting a process takes ForkLock.Lock, which waits for this goroutine to release ForkLock: it never does; release ForkLock before starting the process \(forkafterthreads/forklock\)$`
}

func startUnderLock(cmd *exec.Cmd) error {
	syscall.ForkLock.Lock()
	err := cmd.Start() // want `\(\*exec.Cmd\).Start while syscall.ForkLock is held \(Lock at forklock.go:16\)`
	syscall.ForkLock.Unlock()
	return err
}

func forkExecUnderLock() {
	syscall.ForkLock.RLock()
	syscall.ForkExec("/bin/true", nil, nil)           // want `syscall.ForkExec while syscall.ForkLock is held`
	os.StartProcess("/bin/true", nil, &os.ProcAttr{}) // want `os.StartProcess while syscall.ForkLock is held`
	syscall.ForkLock.RUnlock()
}

// spawn starts a process.
func spawn() ([]byte, error) {
	return exec.Command("true").Output()
}

func helperUnderLock() {
	syscall.ForkLock.RLock()
	spawn() // want `^spawn starts a process while syscall.ForkLock is held \(RLock at forklock.go:35\): .*; release ForkLock before calling it: spawn \(forklock.go:36\) → \(\*exec.Cmd\).Output \(forklock.go:31\) \(forkafterthreads/forklock\)$`
	syscall.ForkLock.RUnlock()
}

// inLoop holds the lock on every path into the start.
func inLoop(cmds []*exec.Cmd) {
	syscall.ForkLock.RLock()
	for _, c := range cmds {
		c.CombinedOutput() // want `\(\*exec.Cmd\).CombinedOutput while syscall.ForkLock is held`
	}
	syscall.ForkLock.RUnlock()
}

// Safe twins.

func startAfterUnlock() error {
	syscall.ForkLock.RLock()
	fd, err := syscall.Dup(0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	return exec.Command("true").Run()
}

// releasedOnOnePath: the lock may be released, so it is not certainly
// held (must-held tracking).
func releasedOnOnePath(b bool) error {
	syscall.ForkLock.RLock()
	if b {
		syscall.ForkLock.RUnlock()
	}
	return exec.Command("true").Run()
}

// returnsUnderLock: the branch that holds the lock returns first.
func returnsUnderLock(b bool) error {
	if b {
		syscall.ForkLock.RLock()
		syscall.ForkLock.RUnlock()
		return nil
	}
	return exec.Command("true").Run()
}

// inGoroutine: another goroutine waits for the lock; this one does not
// wait for itself.
func inGoroutine() {
	syscall.ForkLock.RLock()
	go func() {
		exec.Command("true").Run()
	}()
	syscall.ForkLock.RUnlock()
}
