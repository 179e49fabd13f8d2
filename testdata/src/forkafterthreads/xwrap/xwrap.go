// Package xwrap wraps the fd-creating calls of x/sys/unix, the way
// cilium/ebpf's internal/unix does: the flags are its callers' to choose.
package xwrap

import "golang.org/x/sys/unix"

// Open passes its flags through.
func Open(path string, mode int, perm uint32) (int, error) {
	return unix.Open(path, mode, perm)
}

// OpenDir passes its flags through another wrapper, adding O_DIRECTORY.
func OpenDir(path string, mode int) (int, error) {
	return Open(path, mode|unix.O_DIRECTORY, 0)
}

// OpenCloexec adds close-on-exec itself: its callers cannot leak.
func OpenCloexec(path string, mode int, perm uint32) (int, error) {
	return unix.Open(path, mode|unix.O_CLOEXEC, perm)
}

// OpenMarked marks the descriptor itself.
func OpenMarked(path string, mode int) (int, error) {
	fd, err := unix.Open(path, mode, 0)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	return fd, err
}

// The flags, re-exported so that callers need not import x/sys/unix.
const (
	O_RDONLY    = unix.O_RDONLY
	O_DIRECTORY = unix.O_DIRECTORY
	O_CLOEXEC   = unix.O_CLOEXEC
)
