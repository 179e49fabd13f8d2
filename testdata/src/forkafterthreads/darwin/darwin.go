//go:build darwin

// Package darwin is checked with GOOS=darwin: syscall has no SOCK_CLOEXEC,
// Pipe2 or Accept4 there, so the only fix is ForkLock and CloseOnExec.
package darwin

import (
	"os/exec"
	"syscall"
)

func fork() {
	syscall.RawSyscall(syscall.SYS_FORK, 0, 0, 0) // want `raw fork syscall.RawSyscall\(SYS_FORK\)`
}

func socket() (int, error) {
	return syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0) // want `^syscall.Socket creates the descriptor without close-on-exec \(syscall has no SOCK_CLOEXEC on this platform\): it leaks into every process os/exec starts \(runc CVE-2024-21626\); mark it with syscall.CloseOnExec under syscall.ForkLock.RLock \(forkafterthreads/fdleak\)$`
}

func pipe(p []int) error {
	return syscall.Pipe(p) // want `syscall.Pipe creates the descriptors without close-on-exec: .*; mark it with syscall.CloseOnExec under syscall.ForkLock.RLock`
}

func open(path string) (int, error) {
	return syscall.Open(path, syscall.O_RDONLY, 0) // want `syscall.Open without syscall.O_CLOEXEC`
}

func socketRace() (int, error) {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0) // want `syscall.Socket creates the descriptor without close-on-exec, marked close-on-exec only after creation, outside syscall.ForkLock.RLock`
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	return fd, err
}

// Safe twins.

// socketForkLock is what net does on darwin.
func socketForkLock() (int, error) {
	syscall.ForkLock.RLock()
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	return fd, err
}

func openCloexec(path string) (int, error) {
	return syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
}

// kqueue descriptors are not inherited by children.
func kqueue() (int, error) {
	return syscall.Kqueue()
}

// Spawn starts processes: the evidence that a descriptor marked only after
// its creation can leak through the window.
func Spawn() error { return exec.Command("true").Run() }
