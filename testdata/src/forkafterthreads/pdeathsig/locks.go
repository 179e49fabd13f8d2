package pdeathsig

import (
	"os/exec"
	"runtime"
	"syscall"
)

// The thread must be locked before the start, on every path.

// lockedAfter locks the thread only once the child runs.
func lockedAfter() error {
	cmd := exec.Command("sleep", "100")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // want `^SysProcAttr.Pdeathsig without runtime.LockOSThread: .*; started: \(\*exec.Cmd\).Start \(locks.go:15\) \(forkafterthreads/pdeathsig\)$`
	err := cmd.Start()
	runtime.LockOSThread()
	return err
}

// lockedOnOneBranch locks the thread on one path into the start only.
func lockedOnOneBranch(pin bool) error {
	if pin {
		runtime.LockOSThread()
	}
	cmd := exec.Command("sleep", "100")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // want `started: \(\*exec.Cmd\).Start \(locks.go:27\)`
	return cmd.Start()
}

// goStart starts the child on a new goroutine, which has locked nothing.
func goStart() {
	runtime.LockOSThread()
	cmd := exec.Command("sleep", "100")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // want `started: \(\*exec.Cmd\).Start \(locks.go:35\)`
	go cmd.Start()
}

// Safe twins.

// lockedOnEveryBranch locks the thread on every path into the start.
func lockedOnEveryBranch(pin bool) error {
	if pin {
		runtime.LockOSThread()
	} else {
		runtime.LockOSThread()
	}
	cmd := exec.Command("sleep", "100")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd.Start()
}

// lockedFirst locks the thread before anything else.
func lockedFirst(pin bool) error {
	runtime.LockOSThread()
	cmd := exec.Command("sleep", "100")
	if pin {
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	}
	return cmd.Start()
}
