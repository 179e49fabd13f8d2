// Package fdvars creates descriptors with flags from variables and
// parameters whose every value is known, and marks some only after
// creating them. It is a library: it starts no process, but its
// importers may.
package fdvars

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// socket adjusts its socktype parameter, so it is no wrapper: every
// caller in the package passes a constant without SOCK_CLOEXEC.
func socket(socktype int, nonblock bool) (int, error) {
	if nonblock {
		socktype |= unix.SOCK_NONBLOCK
	}
	return unix.Socket(unix.AF_UNIX, socktype, 0) // want `^unix.Socket without unix.SOCK_CLOEXEC: the descriptor leaks into every process os/exec starts \(runc CVE-2024-21626\); add unix.SOCK_CLOEXEC to the flags \(forkafterthreads/fdleak\)$`
}

// Stream and Dgram are socket's callers.
func Stream() (int, error) { return socket(unix.SOCK_STREAM, false) }

// Dgram passes another constant without the flag.
func Dgram() (int, error) { return socket(unix.SOCK_DGRAM, true) }

// relayed gets its socktype from relay's parameter, which Relay gives a
// constant.
func relayed(socktype int, nonblock bool) (int, error) {
	if nonblock {
		socktype |= unix.SOCK_NONBLOCK
	}
	return unix.Socket(unix.AF_UNIX, socktype, 0) // want `^unix.Socket without unix.SOCK_CLOEXEC`
}

func relay(t int) (int, error) { return relayed(t, true) }

// Relay is relay's caller.
func Relay() (int, error) { return relay(unix.SOCK_SEQPACKET) }

// localLeak chooses among constants without the flag.
func localLeak(dgram bool) (int, error) {
	socktype := unix.SOCK_STREAM
	if dgram {
		socktype = unix.SOCK_DGRAM
	}
	return unix.Socket(unix.AF_UNIX, socktype, 0) // want `^unix.Socket without unix.SOCK_CLOEXEC`
}

// Pipe marks both ends after creating them, outside ForkLock: a process
// that an importer starts in between inherits them (fsnotify's
// inotify-less backends).
func Pipe() (p [2]int, err error) {
	if err = syscall.Pipe(p[:]); err != nil { // want `^syscall.Pipe creates the descriptors without close-on-exec, marked close-on-exec only after creation, outside syscall.ForkLock.RLock: a process started concurrently inherits them`
		return p, err
	}
	syscall.CloseOnExec(p[0])
	syscall.CloseOnExec(p[1])
	return p, nil
}

// Safe twins.

// socketMixed has a caller that passes SOCK_CLOEXEC: not every value is
// known to lack it.
func socketMixed(socktype int, nonblock bool) (int, error) {
	if nonblock {
		socktype |= unix.SOCK_NONBLOCK
	}
	return unix.Socket(unix.AF_UNIX, socktype, 0)
}

// Mixed and MixedCloexec are socketMixed's callers.
func Mixed() (int, error) { return socketMixed(unix.SOCK_STREAM|unix.SOCK_CLOEXEC, false) }

// MixedCloexec passes the flag too.
func MixedCloexec() (int, error) { return socketMixed(unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, true) }

// Socket is exported: its callers are unknown.
func Socket(socktype int, nonblock bool) (int, error) {
	if nonblock {
		socktype |= unix.SOCK_NONBLOCK
	}
	return unix.Socket(unix.AF_UNIX, socktype, 0)
}

// asValue is used as a value: its callers are unknown.
func asValue(socktype int, nonblock bool) (int, error) {
	if nonblock {
		socktype |= unix.SOCK_NONBLOCK
	}
	return unix.Socket(unix.AF_UNIX, socktype, 0)
}

// Opener is asValue, and a call of it.
var Opener = asValue

// Call calls asValue directly too.
func Call() (int, error) { return asValue(unix.SOCK_STREAM, false) }

// localCloexec's variable can hold the flag.
func localCloexec(cloexec bool) (int, error) {
	socktype := unix.SOCK_STREAM
	if cloexec {
		socktype |= unix.SOCK_CLOEXEC
	}
	return unix.Socket(unix.AF_UNIX, socktype, 0)
}

// PipeLocked creates and marks under ForkLock.RLock.
func PipeLocked() (p [2]int, err error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	if err = syscall.Pipe(p[:]); err != nil {
		return p, err
	}
	syscall.CloseOnExec(p[0])
	syscall.CloseOnExec(p[1])
	return p, nil
}

// Pipe2 creates with the flag.
func Pipe2() (p [2]int, err error) {
	err = syscall.Pipe2(p[:], syscall.O_CLOEXEC)
	return p, err
}
