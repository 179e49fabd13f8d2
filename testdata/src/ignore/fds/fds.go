// Package fds exercises //finalock:ignore with the rules of
// forkafterthreads.
package fds

import "syscall"

// Open leaks its descriptor, knowingly.
func Open(path string) (int, error) {
	//finalock:ignore fdleak the descriptor is handed to a child on purpose
	return syscall.Open(path, syscall.O_RDONLY, 0)
}

// Leak is reported.
func Leak(path string) (int, error) {
	return syscall.Open(path, syscall.O_RDONLY, 0) // want `syscall.Open without syscall.O_CLOEXEC`
}

// Stale is reported: the call sets O_CLOEXEC.
func Stale(path string) (int, error) {
	//finalock:ignore fdleak old comment // want `//finalock:ignore fdleak suppresses nothing here: remove it`
	return syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
}

// LockinfinalizerRule names a rule of another pass: forkafterthreads
// leaves it alone.
func LockinfinalizerRule() {
	//finalock:ignore lock judged elsewhere
	_ = 1
}
