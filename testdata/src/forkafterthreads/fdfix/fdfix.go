// Package fdfix checks the suggested fixes of fdleak (fdfix.go.golden is
// this file with every fix applied).
package fdfix

import (
	sys "syscall"

	"golang.org/x/sys/unix"
)

func flags(p []int) {
	unix.Open("/etc/passwd", unix.O_RDONLY, 0)       // want `unix.Open without unix.O_CLOEXEC`
	unix.Open("/etc/passwd", unix.O_RDONLY|0x800, 0) // want `unix.Open without unix.O_CLOEXEC`
	unix.Pipe2(p, 0)                                 // want `unix.Pipe2 without unix.O_CLOEXEC`
	unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)   // want `unix.Socket without unix.SOCK_CLOEXEC`
	unix.Eventfd(0, unix.EFD_NONBLOCK)               // want `unix.Eventfd without unix.EFD_CLOEXEC`
	sys.Socket(sys.AF_UNIX, sys.SOCK_STREAM, 0)      // want `syscall.Socket without syscall.SOCK_CLOEXEC`
	unix.Open("/etc/passwd", (unix.O_RDONLY), 0)     // want `unix.Open without unix.O_CLOEXEC`
}

func noFlags(p []int) {
	sys.Pipe(p)          // want `syscall.Pipe creates the descriptors without close-on-exec`
	unix.Pipe(p)         // want `unix.Pipe creates the descriptors without close-on-exec`
	unix.Accept(3)       // want `unix.Accept creates the descriptor without close-on-exec`
	unix.InotifyInit()   // want `unix.InotifyInit creates the descriptor without close-on-exec`
	unix.EpollCreate(16) // want `unix.EpollCreate creates the descriptor without close-on-exec`
}

// Reported without a fix: not mechanical.

func notMechanical(path string, rw bool) {
	f := unix.O_RDONLY
	if rw {
		f = unix.O_RDWR
	}
	unix.Open(path, f, 0)                                      // want `unix.Open without unix.O_CLOEXEC`
	unix.Dup(0)                                                // want `unix.Dup creates the descriptor without close-on-exec`
	unix.FcntlInt(3, unix.F_DUPFD, 0)                          // want `unix.FcntlInt\(F_DUPFD\) creates`
	sys.Syscall(sys.SYS_OPENAT, 0, 0, sys.O_RDONLY)            // want `syscall.Syscall\(SYS_OPENAT\) without syscall.O_CLOEXEC`
	unix.Openat2(unix.AT_FDCWD, path, &unix.OpenHow{Flags: 0}) // want `unix.Openat2 without unix.O_CLOEXEC`
	openFlags(path, unix.O_RDONLY)                             // want `unix.Open through openFlags without unix.O_CLOEXEC`
}

func openFlags(path string, flags int) (int, error) { return unix.Open(path, flags, 0) }

// Silent twins: nothing to fix.

func fixed(p []int) {
	unix.Open("/etc/passwd", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	unix.Pipe2(p, unix.O_CLOEXEC)
	unix.Accept4(3, unix.SOCK_CLOEXEC)
	unix.InotifyInit1(unix.IN_CLOEXEC)
	unix.EpollCreate1(unix.EPOLL_CLOEXEC)
}
