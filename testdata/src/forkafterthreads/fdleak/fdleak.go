package fdleak

import (
	"os"
	"os/exec"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

func open(path string) (int, error) {
	return unix.Open(path, unix.O_RDONLY, 0) // want `^unix.Open without unix.O_CLOEXEC: the descriptor leaks into every process os/exec starts \(runc CVE-2024-21626\); add unix.O_CLOEXEC to the flags \(forkafterthreads/fdleak\)$`
}

func openat2(dir int, path string) (int, error) {
	return unix.Openat2(dir, path, &unix.OpenHow{Flags: unix.O_PATH}) // want `unix.Openat2 without unix.O_CLOEXEC`
}

func openat2Var(dir int, path string) (int, error) {
	how := unix.OpenHow{Resolve: 1}
	how.Flags = unix.O_RDONLY
	return unix.Openat2(dir, path, &how) // want `unix.Openat2 without unix.O_CLOEXEC`
}

func always(p []int) {
	syscall.Creat("/tmp/x", 0o600) // want `^syscall.Creat creates the descriptor without close-on-exec: it leaks into every process os/exec starts \(runc CVE-2024-21626\); use syscall.Open\(path, syscall.O_CREAT\|syscall.O_WRONLY\|syscall.O_TRUNC\|syscall.O_CLOEXEC, mode\) \(forkafterthreads/fdleak\)$`
	syscall.Pipe(p)                // want `^syscall.Pipe creates the descriptors without close-on-exec: they leak .*; use syscall.Pipe2\(p, syscall.O_CLOEXEC\) \(forkafterthreads/fdleak\)$`
	syscall.Dup(0)                 // want `^syscall.Dup creates the descriptor without close-on-exec: .*; mark it with syscall.CloseOnExec under syscall.ForkLock.RLock \(forkafterthreads/fdleak\)$`
	unix.Dup(0)                    // want `^unix.Dup creates .*; use unix.FcntlInt\(uintptr\(fd\), unix.F_DUPFD_CLOEXEC, 0\) \(forkafterthreads/fdleak\)$`
	unix.Dup2(4, 10)               // want `^unix.Dup2 creates .*; use unix.Dup3\(oldfd, newfd, unix.O_CLOEXEC\) \(forkafterthreads/fdleak\)$`
	unix.Accept(3)                 // want `use unix.Accept4\(fd, unix.SOCK_CLOEXEC\)`
	unix.EpollCreate(1)            // want `use unix.EpollCreate1\(unix.EPOLL_CLOEXEC\)`
	unix.InotifyInit()             // want `use unix.InotifyInit1\(unix.IN_CLOEXEC\)`
}

func flagged(p []int) {
	unix.Pipe2(p, 0)                                                   // want `unix.Pipe2 without unix.O_CLOEXEC: the descriptors leak`
	unix.Dup3(3, 10, 0)                                                // want `unix.Dup3 without unix.O_CLOEXEC`
	unix.Accept4(3, unix.SOCK_NONBLOCK)                                // want `unix.Accept4 without unix.SOCK_CLOEXEC`
	unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)                     // want `unix.Socket without unix.SOCK_CLOEXEC`
	unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)                 // want `unix.Socketpair without unix.SOCK_CLOEXEC: the descriptors leak`
	unix.EpollCreate1(0)                                               // want `unix.EpollCreate1 without unix.EPOLL_CLOEXEC`
	unix.InotifyInit1(0)                                               // want `unix.InotifyInit1 without unix.IN_CLOEXEC`
	unix.Eventfd(0, unix.EFD_NONBLOCK)                                 // want `unix.Eventfd without unix.EFD_CLOEXEC`
	unix.MemfdCreate("x", unix.MFD_ALLOW_SEALING)                      // want `unix.MemfdCreate without unix.MFD_CLOEXEC`
	unix.TimerfdCreate(unix.CLOCK_MONOTONIC, 0)                        // want `unix.TimerfdCreate without unix.TFD_CLOEXEC`
	unix.Signalfd(-1, &unix.Sigset_t{}, 0)                             // want `unix.Signalfd without unix.SFD_CLOEXEC`
	unix.FanotifyInit(unix.FAN_CLASS_NOTIF, 0)                         // want `unix.FanotifyInit without unix.FAN_CLOEXEC`
	unix.PerfEventOpen(&unix.PerfEventAttr{}, 0, -1, -1, 0)            // want `unix.PerfEventOpen without unix.PERF_FLAG_FD_CLOEXEC`
	unix.FcntlInt(3, unix.F_DUPFD, 10)                                 // want `unix.FcntlInt\(F_DUPFD\) creates the descriptor without close-on-exec: .*; use unix.F_DUPFD_CLOEXEC in place of unix.F_DUPFD`
	syscall.Openat(unix.AT_FDCWD, "x", syscall.O_RDWR, 0)              // want `syscall.Openat without syscall.O_CLOEXEC`
	syscall.Syscall(syscall.SYS_OPENAT, 0, 0, syscall.O_RDONLY)        // want `syscall.Syscall\(SYS_OPENAT\) without syscall.O_CLOEXEC`
	syscall.RawSyscall(syscall.SYS_EPOLL_CREATE1, 0, 0, 0)             // want `syscall.RawSyscall\(SYS_EPOLL_CREATE1\) without syscall.EPOLL_CLOEXEC`
	unix.Syscall(unix.SYS_EVENTFD2, 0, 0, 0)                           // want `unix.Syscall\(SYS_EVENTFD2\) without unix.EFD_CLOEXEC`
	unix.Syscall6(unix.SYS_ACCEPT4, 3, 0, 0, 0, 0, 0)                  // want `unix.Syscall6\(SYS_ACCEPT4\) without unix.SOCK_CLOEXEC`
	unix.Syscall(unix.SYS_PIPE2, uintptr(unsafe.Pointer(&p[0])), 0, 0) // want `unix.Syscall\(SYS_PIPE2\) without unix.O_CLOEXEC`
	unix.Syscall(unix.SYS_DUP3, 3, 10, 0)                              // want `unix.Syscall\(SYS_DUP3\) without unix.O_CLOEXEC`
}

// flagsVar builds its flags in a variable without the flag.
func flagsVar(path string, rw bool) (int, error) {
	flags := unix.O_RDONLY
	if rw {
		flags = unix.O_RDWR
	}
	flags |= unix.O_NONBLOCK
	return unix.Open(path, flags, 0) // want `unix.Open without unix.O_CLOEXEC`
}

// raceWindow creates, then marks outside ForkLock.
func raceWindow() (int, error) {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0) // want `^syscall.Socket without syscall.SOCK_CLOEXEC, marked close-on-exec only after creation, outside syscall.ForkLock.RLock: a process started concurrently inherits it; add syscall.SOCK_CLOEXEC to the flags \(forkafterthreads/fdleak\)$`
	if err != nil {
		return -1, err
	}
	syscall.CloseOnExec(fd)
	return fd, nil
}

// raceWindowPipe marks both ends, outside ForkLock.
func raceWindowPipe() error {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil { // want `syscall.Pipe creates the descriptors without close-on-exec, marked close-on-exec only after creation, outside syscall.ForkLock.RLock: a process started concurrently inherits them; create and mark them under syscall.ForkLock.RLock, or use syscall.Pipe2`
		return err
	}
	syscall.CloseOnExec(p[0])
	syscall.CloseOnExec(p[1])
	return nil
}

// halfMarked marks only one end of the pipe.
func halfMarked() {
	var p [2]int
	syscall.ForkLock.RLock()
	syscall.Pipe(p[:]) // want `syscall.Pipe creates the descriptors without close-on-exec: they leak`
	syscall.CloseOnExec(p[0])
	syscall.ForkLock.RUnlock()
}

// unlockedBeforeMark: created under the lock, marked after it is released.
func unlockedBeforeMark() int {
	syscall.ForkLock.RLock()
	fd, _ := syscall.Dup(0) // want `syscall.Dup creates the descriptor without close-on-exec, marked close-on-exec only after creation`
	syscall.ForkLock.RUnlock()
	syscall.CloseOnExec(fd)
	return fd
}

// openFlags is a wrapper: it passes its flags parameter on.
func openFlags(path string, flags int) (int, error) {
	return unix.Open(path, flags|unix.O_NONBLOCK, 0)
}

// openWrapped wraps the wrapper.
func openWrapped(path string, mode int) (int, error) {
	return openFlags(path, mode)
}

func useWrappers() {
	openFlags("/etc/passwd", unix.O_RDONLY)                // want `^unix.Open through openFlags without unix.O_CLOEXEC: the descriptor leaks .*; add unix.O_CLOEXEC to the flags: openFlags \(fdleak.go:121\) → unix.Open \(fdleak.go:112\) \(forkafterthreads/fdleak\)$`
	openWrapped("/etc/passwd", unix.O_RDONLY)              // want `unix.Open through openWrapped without unix.O_CLOEXEC: .*: openWrapped \(fdleak.go:122\) → openFlags \(fdleak.go:117\) → unix.Open \(fdleak.go:112\)`
	openFlags("/etc/passwd", unix.O_RDONLY|unix.O_CLOEXEC) // silent
}

// inGoroutine: a leak in a goroutine is a leak.
func inGoroutine() {
	go func() {
		fd, _ := unix.Open("/dev/null", unix.O_WRONLY, 0) // want `unix.Open without unix.O_CLOEXEC`
		_ = os.NewFile(uintptr(fd), "null")
	}()
}

// Safe twins.

func openCloexec(path string) (int, error) {
	return unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
}

// flagsVarCloexec adds the flag to its variable.
func flagsVarCloexec(path string, rw bool) (int, error) {
	flags := unix.O_RDONLY
	if rw {
		flags = unix.O_RDWR
	}
	flags |= unix.O_CLOEXEC
	return unix.Open(path, flags, 0)
}

// flagsUnknown: flags the pass cannot evaluate are not reported.
func flagsUnknown(path string) (int, error) {
	flags := computeFlags()
	return unix.Open(path, flags, 0)
}

func computeFlags() int { return unix.O_RDONLY }

func pipe2(p []int) error { return unix.Pipe2(p, unix.O_CLOEXEC) }

func socketCloexec() (int, error) {
	return syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
}

func openat2Cloexec(dir int, path string) (int, error) {
	return unix.Openat2(dir, path, &unix.OpenHow{Flags: unix.O_PATH | unix.O_CLOEXEC})
}

// forkLockPattern is what the standard library does where no flag exists.
func forkLockPattern() (int, error) {
	syscall.ForkLock.RLock()
	fd, err := syscall.Dup(0)
	if err != nil {
		syscall.ForkLock.RUnlock()
		return -1, err
	}
	syscall.CloseOnExec(fd)
	syscall.ForkLock.RUnlock()
	return fd, nil
}

// forkLockDefer holds the read lock to the end of the function.
func forkLockDefer(p []int) error {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	if err := syscall.Pipe(p); err != nil {
		return err
	}
	for _, fd := range p {
		syscall.CloseOnExec(fd)
	}
	return nil
}

// fcntlMark marks with fcntl(F_SETFD, FD_CLOEXEC) under the lock.
func fcntlMark() {
	syscall.ForkLock.RLock()
	fd, _, _ := unix.Accept(3)
	unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC)
	syscall.ForkLock.RUnlock()
}

// cloexec marks its parameter: calls of it mark too.
func cloexec(fd int) { unix.CloseOnExec(fd) }

func markerHelper() {
	syscall.ForkLock.RLock()
	fd, _ := unix.EpollCreate(1)
	cloexec(fd)
	syscall.ForkLock.RUnlock()
}

// openAddsCloexec is a wrapper that adds the flag itself.
func openAddsCloexec(path string, flags int) (int, error) {
	flags |= unix.O_CLOEXEC
	return unix.Open(path, flags, 0)
}

func useCloexecWrapper() {
	openAddsCloexec("/etc/passwd", unix.O_RDONLY)
}

// stdio redirection with dup2 is not a leak: os/exec sets the child's
// standard descriptors itself.
func redirect(f *os.File) {
	syscall.Dup2(int(f.Fd()), 2)
	syscall.Dup2(int(f.Fd()), int(os.Stderr.Fd()))
}

// openGeneric is a generic wrapper: its instances are wrappers too.
func openGeneric[T ~string](path T, flags int) (int, error) {
	return unix.Open(string(path), flags, 0)
}

func useGeneric() {
	openGeneric("/etc/passwd", unix.O_CLOEXEC)
}

// pidfds and kqueues are always close-on-exec.
func pidfd() {
	unix.PidfdOpen(1, 0)
	unix.PidfdGetfd(3, 4, 0)
}

// dupfdCloexec duplicates with F_DUPFD_CLOEXEC.
func dupfdCloexec() {
	unix.FcntlInt(3, unix.F_DUPFD_CLOEXEC, 10)
}

// rawCloexec passes the flag to the raw system call.
func rawCloexec() {
	syscall.RawSyscall(syscall.SYS_EPOLL_CREATE1, syscall.EPOLL_CLOEXEC, 0, 0)
}

// useGenericLeak leaks through the generic wrapper.
func useGenericLeak() {
	openGeneric("/etc/passwd", unix.O_RDONLY) // want `unix.Open through openGeneric without unix.O_CLOEXEC`
}

// Spawn starts processes: the evidence that a descriptor marked only after
// its creation can leak through the window.
func Spawn() error { return exec.Command("true").Run() }
