package pdeathsig

import (
	"os/exec"
	"runtime"
	"syscall"
)

func start() error {
	cmd := exec.Command("sleep", "100")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // want `^SysProcAttr.Pdeathsig without runtime.LockOSThread: the signal is sent when the OS thread that started the child exits, not the process, so the child can be killed at any moment \(golang/go#27505\); start it from a goroutine locked with runtime.LockOSThread that outlives the child; started: \(\*exec.Cmd\).Start \(pdeathsig.go:12\) \(forkafterthreads/pdeathsig\)$`
	return cmd.Start()
}

func assign(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGTERM // want `SysProcAttr.Pdeathsig without runtime.LockOSThread: .*started: \(\*exec.Cmd\).Run \(pdeathsig.go:18\)`
	return cmd.Run()
}

func spawn(cmd *exec.Cmd) error { return cmd.Start() }

func viaHelper(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL} // want `started: spawn \(pdeathsig.go:25\) → \(\*exec.Cmd\).Start \(pdeathsig.go:21\)`
	return spawn(cmd)
}

func forkExec() {
	attr := &syscall.ProcAttr{Sys: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}} // want `started: syscall.ForkExec`
	syscall.ForkExec("/bin/sleep", []string{"sleep", "100"}, attr)
}

// Safe twins.

// locked starts the child from a goroutine locked to its thread.
func locked() {
	done := make(chan error)
	go func() {
		runtime.LockOSThread()
		cmd := exec.Command("sleep", "100")
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			done <- err
			return
		}
		done <- cmd.Wait()
	}()
	<-done
}

// noStart only builds the attributes.
func noStart() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// zero sets no signal.
func zero() error {
	cmd := exec.Command("true")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: 0}
	return cmd.Run()
}
