//go:build solaris

// Package solaris is checked with GOOS=solaris, where O_CLOEXEC is
// 0x800000: 0x80000, linux's O_CLOEXEC, is another flag here.
package solaris

import "syscall"

func open(path string) (int, error) {
	return syscall.Open(path, syscall.O_RDONLY|0x80000, 0) // want `syscall.Open without syscall.O_CLOEXEC`
}

func socket() (int, error) {
	return syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0) // want `syscall.Socket without syscall.SOCK_CLOEXEC`
}

// Safe twins.

func openCloexec(path string) (int, error) {
	return syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
}

func pipe2(p []int) error { return syscall.Pipe2(p, syscall.O_CLOEXEC) }
