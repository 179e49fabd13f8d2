// Package fdssa creates descriptors with flags that only a flow-sensitive
// evaluation on SSA values gets right: the value a variable holds at the
// call, not every value it ever holds; XOR; a wrapper method's receiver.
package fdssa

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// overwritten sets the flag, then overwrites the variable before the
// call: the call gets the value without it.
func overwritten(path string) (int, error) {
	flags := unix.O_RDONLY | unix.O_CLOEXEC
	flags = unix.O_RDONLY
	return unix.Open(path, flags, 0) // want `^unix.Open without unix.O_CLOEXEC`
}

// addedAfter adds the flag only after the call.
func addedAfter(path string) (int, error) {
	flags := unix.O_RDONLY
	fd, err := unix.Open(path, flags, 0) // want `^unix.Open without unix.O_CLOEXEC`
	flags |= unix.O_CLOEXEC
	_, _ = unix.Open(path, flags, 0)
	return fd, err
}

// branches assigns the flags on two branches, both without the flag.
func branches(path string, rw bool) (int, error) {
	var flags int
	if rw {
		flags = unix.O_RDWR
	} else {
		flags = unix.O_RDONLY
	}
	return unix.Open(path, flags^unix.O_NONBLOCK, 0) // want `^unix.Open without unix.O_CLOEXEC`
}

// An opener opens with the flags its callers give.
type opener struct{ dir int }

// open is a wrapper method: its receiver is a parameter too.
func (o *opener) open(path string, flags int) (int, error) {
	return unix.Openat(o.dir, path, flags, 0)
}

func useOpener(o *opener) {
	o.open("x", unix.O_RDONLY)                // want `^unix.Openat through \(\*opener\).open without unix.O_CLOEXEC: .*: \(\*opener\).open \(fdssa.go:49\) → unix.Openat \(fdssa.go:45\) \(forkafterthreads/fdleak\)$`
	o.open("x", unix.O_RDONLY|unix.O_CLOEXEC) // silent
}

// captured reads its flags from a variable a closure assigns.
func captured(path string, rw bool) (int, error) {
	flags := unix.O_RDONLY
	set := func() { flags = unix.O_RDWR }
	if rw {
		set()
	}
	return unix.Open(path, flags, 0) // want `^unix.Open without unix.O_CLOEXEC`
}

// Safe twins.

// oneBranch can hold the flag: silent.
func oneBranch(path string, cloexec bool) (int, error) {
	var flags int
	if cloexec {
		flags = unix.O_RDONLY | unix.O_CLOEXEC
	} else {
		flags = unix.O_RDONLY
	}
	return unix.Open(path, flags, 0)
}

// setLast sets the flag before the call, after a value without it.
func setLast(path string) (int, error) {
	flags := unix.O_RDONLY
	flags = unix.O_RDONLY | unix.O_CLOEXEC
	return unix.Open(path, flags, 0)
}

// capturedCloexec: the closure may add the flag.
func capturedCloexec(path string, cloexec bool) (int, error) {
	flags := unix.O_RDONLY
	set := func() { flags |= unix.O_CLOEXEC }
	if cloexec {
		set()
	}
	return unix.Open(path, flags, 0)
}

// escapes passes the variable's address on: its value is not known.
func escapes(path string) (int, error) {
	flags := unix.O_RDONLY
	adjust(&flags)
	return unix.Open(path, flags, 0)
}

func adjust(p *int) { *p |= unix.O_CLOEXEC }

// xorCloexec toggles the flag in.
func xorCloexec(path string) (int, error) {
	flags := unix.O_RDONLY
	return unix.Open(path, flags^unix.O_CLOEXEC, 0)
}

// pipeMarked marks both ends under ForkLock, through a variable.
func pipeMarked() (p [2]int, err error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	if err = syscall.Pipe(p[:]); err != nil {
		return p, err
	}
	syscall.CloseOnExec(p[0])
	syscall.CloseOnExec(p[1])
	return p, nil
}

// Odd code: loops, generics, variadic and recursive wrappers, closures,
// unreachable calls.

// loop adds flags in a loop, never close-on-exec.
func loop(path string, n int) (int, error) {
	flags := unix.O_RDONLY
	for i := 0; i < n; i++ {
		flags |= unix.O_NONBLOCK
	}
	return unix.Open(path, flags, 0) // want `^unix.Open without unix.O_CLOEXEC`
}

// loopCloexec may add the flag in the loop.
func loopCloexec(path string, n int) (int, error) {
	flags := unix.O_RDONLY
	for i := 0; i < n; i++ {
		flags |= unix.O_CLOEXEC
	}
	return unix.Open(path, flags, 0)
}

// genericFlags takes flags of a type parameter's type.
func genericFlags[F ~int](path string, flags F) (int, error) {
	return unix.Open(path, int(flags), 0)
}

func useGenericFlags() {
	genericFlags("x", unix.O_RDONLY) // want `^unix.Open through genericFlags without unix.O_CLOEXEC`
	genericFlags("x", unix.O_RDONLY|unix.O_CLOEXEC)
}

// openAll is a variadic wrapper.
func openAll(flags int, paths ...string) {
	for _, p := range paths {
		unix.Open(p, flags, 0)
	}
}

func useOpenAll() {
	openAll(unix.O_RDONLY, "a", "b") // want `^unix.Open through openAll without unix.O_CLOEXEC`
	openAll(unix.O_CLOEXEC, []string{"a"}...)
}

// rec passes its flags on to itself.
func rec(path string, flags, n int) (int, error) {
	if n > 0 {
		return rec(path, flags|unix.O_NONBLOCK, n-1)
	}
	return unix.Open(path, flags, 0)
}

func useRec() {
	rec("x", unix.O_RDONLY, 2) // want `^unix.Open through rec without unix.O_CLOEXEC`
}

// closureWrapper: a closure's callers are not followed (silent).
func closureWrapper(path string) {
	open := func(flags int) { unix.Open(path, flags, 0) }
	open(unix.O_RDONLY)
}

// unreachable code creates nothing (silent).
func unreachable(path string) (int, error) {
	return -1, nil
	return unix.Open(path, unix.O_RDONLY, 0)
}
