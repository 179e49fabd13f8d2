//go:build plan9

// Package plan9 is checked with GOOS=plan9: rfork makes a process only
// with RFPROC.
package plan9

import "syscall"

func fork() {
	syscall.RawSyscall(syscall.SYS_RFORK, syscall.RFPROC|syscall.RFFDG, 0, 0) // want `raw fork syscall.RawSyscall\(SYS_RFORK\)`
}

func goThenExec() {
	go fork()
	syscall.Exec("/bin/echo", nil, nil) // want `syscall.Exec while other goroutines may run: .*started: go fork`
}

// Safe twin: rfork without RFPROC changes what the process shares.
func newns() {
	syscall.RawSyscall(syscall.SYS_RFORK, syscall.RFNAMEG|syscall.RFNOTEG, 0, 0)
}
