//go:build freebsd

// Package freebsd is checked with GOOS=freebsd.
package freebsd

import "syscall"

func forks() {
	syscall.RawSyscall(syscall.SYS_FORK, 0, 0, 0)   // want `raw fork syscall.RawSyscall\(SYS_FORK\)`
	syscall.RawSyscall(syscall.SYS_PDFORK, 0, 0, 0) // want `raw fork syscall.RawSyscall\(SYS_PDFORK\)`
}

func pipes(p []int) {
	syscall.Pipe(p)     // want `syscall.Pipe creates the descriptors without close-on-exec: .*; use syscall.Pipe2\(p, syscall.O_CLOEXEC\)`
	syscall.Pipe2(p, 0) // want `syscall.Pipe2 without syscall.O_CLOEXEC`
}

// Safe twins.

// rfork: freebsd's syscall package has no RFPROC, so the flags cannot be
// read: not reported.
func rfork(flags uintptr) {
	syscall.RawSyscall(syscall.SYS_RFORK, flags, 0, 0)
}

func cloexec(p []int, fd int) {
	syscall.Pipe2(p, syscall.O_CLOEXEC)
	syscall.Accept4(fd, syscall.SOCK_CLOEXEC)
}
