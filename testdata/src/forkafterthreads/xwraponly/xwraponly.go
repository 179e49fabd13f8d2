// Package xwraponly imports neither syscall nor x/sys/unix: only the
// wrapper package and its constants (cilium/ebpf's internal/sys).
package xwraponly

import "forkafterthreads/xwrap"

// Token opens without close-on-exec through the wrapper.
func Token(mount string) (int, error) {
	return xwrap.Open(mount, xwrap.O_DIRECTORY|xwrap.O_RDONLY, 0) // want `^unix.Open through xwrap.Open without unix.O_CLOEXEC`
}

// TokenCloexec passes close-on-exec: silent.
func TokenCloexec(mount string) (int, error) {
	return xwrap.Open(mount, xwrap.O_DIRECTORY|xwrap.O_RDONLY|xwrap.O_CLOEXEC, 0)
}
