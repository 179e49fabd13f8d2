// Package xwrapuse calls the wrappers of another package.
package xwrapuse

import (
	"forkafterthreads/xwrap"

	"golang.org/x/sys/unix"
)

// Token opens without close-on-exec through the wrapper (cilium/ebpf's
// newToken).
func Token(mount string) (int, error) {
	return xwrap.Open(mount, unix.O_DIRECTORY|unix.O_RDONLY, 0) // want `^unix.Open through xwrap.Open without unix.O_CLOEXEC: .*: xwrap.Open \(xwrapuse.go:13\) → unix.Open \(xwrap.go:9\) \(forkafterthreads/fdleak\)$`
}

// Dir opens without close-on-exec through two wrappers.
func Dir(path string) (int, error) {
	return xwrap.OpenDir(path, unix.O_RDONLY) // want `^unix.Open through xwrap.OpenDir without unix.O_CLOEXEC: .*: xwrap.OpenDir \(xwrapuse.go:18\) → Open \(xwrap.go:14\) → unix.Open \(xwrap.go:9\) \(forkafterthreads/fdleak\)$`
}

// TokenCloexec passes close-on-exec: silent.
func TokenCloexec(mount string) (int, error) {
	return xwrap.Open(mount, unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
}

// Cloexec uses a wrapper that adds the flag: silent.
func Cloexec(path string) (int, error) {
	return xwrap.OpenCloexec(path, unix.O_RDONLY, 0)
}

// Marked uses a wrapper that marks the descriptor: silent.
func Marked(path string) (int, error) {
	return xwrap.OpenMarked(path, unix.O_RDONLY)
}
