// Package xdup wraps fd-creating calls whose close-on-exec is not a flags
// argument of the call itself: a descriptor duplicated with
// F_DUPFD_CLOEXEC, and the flags of Openat2's OpenHow. Its own callers
// and its importers (xdupuse) must get the same answer.
package xdup

import "golang.org/x/sys/unix"

// OpenDup opens with its caller's flags, then duplicates the descriptor
// with close-on-exec: the duplicate has the flag, the original does not,
// and it exists without it until it is closed.
func OpenDup(path string, flags int) (int, error) {
	fd, err := unix.Open(path, flags, 0)
	if err != nil {
		return -1, err
	}
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	unix.Close(fd)
	return nfd, err
}

// OpenSetfd marks the descriptor it opens with F_SETFD: its callers
// cannot leak it.
func OpenSetfd(path string, flags int) (int, error) {
	fd, err := unix.Open(path, flags, 0)
	if err != nil {
		return -1, err
	}
	unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC)
	return fd, nil
}

// OpenMarksOther marks another descriptor than the one it opens.
func OpenMarksOther(path string, flags, other int) (int, error) {
	unix.CloseOnExec(other)
	return unix.Open(path, flags, 0)
}

// OpenHelper marks the descriptor it opens through a helper of the
// package: its callers cannot leak it.
func OpenHelper(path string, flags int) (int, error) {
	fd, err := unix.Open(path, flags, 0)
	cloexec(fd)
	return fd, err
}

func cloexec(fd int) { unix.CloseOnExec(fd) }

// Openat2 passes its flags as OpenHow.Flags.
func Openat2(dir int, path string, flags uint64) (int, error) {
	return unix.Openat2(dir, path, &unix.OpenHow{Flags: flags})
}

// Openat2Cloexec adds close-on-exec to OpenHow.Flags itself.
func Openat2Cloexec(dir int, path string, flags uint64) (int, error) {
	return unix.Openat2(dir, path, &unix.OpenHow{Flags: flags | unix.O_CLOEXEC})
}

// Callers in the package.

func dup() {
	OpenDup("/etc/passwd", unix.O_RDONLY)                // want `^unix.Open through OpenDup without unix.O_CLOEXEC: .*: OpenDup \(xdup.go:62\) → unix.Open \(xdup.go:13\) \(forkafterthreads/fdleak\)$`
	OpenDup("/etc/passwd", unix.O_RDONLY|unix.O_CLOEXEC) // silent
	OpenSetfd("/etc/passwd", unix.O_RDONLY)              // silent: marked
	OpenHelper("/etc/passwd", unix.O_RDONLY)             // silent: marked
	OpenMarksOther("/etc/passwd", unix.O_RDONLY, 3)      // want `^unix.Open through OpenMarksOther without unix.O_CLOEXEC`
	Openat2(unix.AT_FDCWD, "/etc", unix.O_PATH)          // want `^unix.Openat2 through Openat2 without unix.O_CLOEXEC: .*: Openat2 \(xdup.go:67\) → unix.Openat2 \(xdup.go:51\) \(forkafterthreads/fdleak\)$`
	Openat2(unix.AT_FDCWD, "/etc", unix.O_PATH|unix.O_CLOEXEC)
	Openat2Cloexec(unix.AT_FDCWD, "/etc", unix.O_PATH)
}
