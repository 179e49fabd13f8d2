package fdleak

import (
	"syscall"

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

// Safe twins.

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
