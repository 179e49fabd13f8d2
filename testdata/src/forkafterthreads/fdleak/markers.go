package fdleak

import (
	"syscall"

	"golang.org/x/sys/unix"

	"forkafterthreads/fdleak/marker"
)

// importedMarkOutside marks through a function of another package (known
// from its summary), but outside ForkLock: the window stays.
func importedMarkOutside() int {
	fd, _ := syscall.Dup(0) // want `^syscall.Dup creates the descriptor without close-on-exec, marked close-on-exec only after creation, outside syscall.ForkLock.RLock`
	marker.Cloexec(fd)
	return fd
}

// A fdSet marks descriptors with a method.
type fdSet struct{ n int }

func (s *fdSet) mark(fd int) { syscall.CloseOnExec(fd); s.n++ }

// openMarked passes its flags on and marks the descriptor through
// another package's function, outside ForkLock: no wrapper that leaks,
// but a window.
func openMarked(path string, flags int) (int, error) {
	fd, err := unix.Open(path, flags, 0) // want `^unix.Open without unix.O_CLOEXEC, marked close-on-exec only after creation, outside syscall.ForkLock.RLock`
	if err == nil {
		marker.Cloexec(fd)
	}
	return fd, err
}

func useOpenMarked() { openMarked("/etc/passwd", unix.O_RDONLY) }

// Safe twins.

// openMarkedLocked creates and marks under ForkLock: its callers' flags
// do not matter.
func openMarkedLocked(path string, flags int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, err := unix.Open(path, flags, 0)
	if err == nil {
		marker.Cloexec(fd)
	}
	return fd, err
}

func useOpenMarkedLocked() { openMarkedLocked("/etc/passwd", unix.O_RDONLY) }

// importedMark creates and marks through another package's function
// under ForkLock.
func importedMark() int {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, _ := syscall.Dup(0)
	marker.Cloexec(fd)
	return fd
}

// methodMark marks with a method of the package: its receiver comes
// before the descriptor.
func methodMark(s *fdSet) int {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, _ := syscall.Dup(0)
	s.mark(fd)
	return fd
}

// openDeep marks through a chain of the package's own helpers, however
// deep.
func openDeep(path string, flags int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, err := unix.Open(path, flags, 0)
	if err == nil {
		mark4(fd)
	}
	return fd, err
}

func mark4(fd int) { mark3(fd) }
func mark3(fd int) { mark2(fd) }
func mark2(fd int) { mark1(fd) }
func mark1(fd int) { unix.CloseOnExec(fd) }

func useOpenDeep() { openDeep("/etc/passwd", unix.O_RDONLY) }
