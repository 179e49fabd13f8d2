// Package unix is a stub of golang.org/x/sys/unix for finalock's tests:
// the few linux/amd64 functions and constants they use.
package unix

import "syscall"

const (
	O_RDONLY    = 0x0
	O_WRONLY    = 0x1
	O_RDWR      = 0x2
	O_CREAT     = 0x40
	O_NONBLOCK  = 0x800
	O_CLOEXEC   = 0x80000
	O_DIRECTORY = 0x10000
	O_PATH      = 0x200000

	AT_FDCWD = -0x64

	AF_UNIX        = 0x1
	SOCK_STREAM    = 0x1
	SOCK_NONBLOCK  = 0x800
	SOCK_DGRAM     = 0x2
	SOCK_SEQPACKET = 0x5
	SOCK_CLOEXEC   = 0x80000

	EPOLL_CLOEXEC        = 0x80000
	IN_CLOEXEC           = 0x80000
	EFD_CLOEXEC          = 0x80000
	EFD_NONBLOCK         = 0x800
	MFD_CLOEXEC          = 0x1
	MFD_ALLOW_SEALING    = 0x2
	TFD_CLOEXEC          = 0x80000
	SFD_CLOEXEC          = 0x80000
	FAN_CLOEXEC          = 0x1
	FAN_CLASS_NOTIF      = 0x0
	PERF_FLAG_FD_CLOEXEC = 0x8
	CLOCK_MONOTONIC      = 0x1

	F_DUPFD         = 0x0
	F_SETFD         = 0x2
	F_DUPFD_CLOEXEC = 0x406
	FD_CLOEXEC      = 0x1

	CLONE_VM      = 0x100
	CLONE_FS      = 0x200
	CLONE_FILES   = 0x400
	CLONE_SIGHAND = 0x800
	CLONE_THREAD  = 0x10000
	SIGCHLD       = 0x11

	SYS_CLONE         = 56
	SYS_FORK          = 57
	SYS_VFORK         = 58
	SYS_FCNTL         = 72
	SYS_GETPID        = 39
	SYS_SOCKET        = 41
	SYS_OPENAT        = 257
	SYS_ACCEPT4       = 288
	SYS_EVENTFD2      = 290
	SYS_EPOLL_CREATE1 = 291
	SYS_DUP3          = 292
	SYS_PIPE2         = 293
	SYS_CLONE3        = 435
)

type Sigset_t struct{ Val [16]uint64 }

type PerfEventAttr struct{ Type uint32 }

type OpenHow struct {
	Flags   uint64
	Mode    uint64
	Resolve uint64
}

func Syscall(trap, a1, a2, a3 uintptr) (r1, r2 uintptr, err syscall.Errno)              { return }
func Syscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2 uintptr, err syscall.Errno) { return }
func RawSyscall(trap, a1, a2, a3 uintptr) (r1, r2 uintptr, err syscall.Errno)           { return }
func RawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2 uintptr, err syscall.Errno) {
	return
}
func RawSyscallNoError(trap, a1, a2, a3 uintptr) (r1, r2 uintptr) { return }

func Open(path string, mode int, perm uint32) (fd int, err error)                  { return }
func Openat(dirfd int, path string, flags int, mode uint32) (fd int, err error)    { return }
func Openat2(dirfd int, path string, how *OpenHow) (fd int, err error)             { return }
func Creat(path string, mode uint32) (fd int, err error)                           { return }
func Socket(domain, typ, proto int) (fd int, err error)                            { return }
func Socketpair(domain, typ, proto int) (fd [2]int, err error)                     { return }
func Pipe(p []int) error                                                           { return nil }
func Pipe2(p []int, flags int) error                                               { return nil }
func Dup(oldfd int) (fd int, err error)                                            { return }
func Dup2(oldfd, newfd int) error                                                  { return nil }
func Dup3(oldfd int, newfd int, flags int) error                                   { return nil }
func Accept(fd int) (nfd int, sa syscall.Sockaddr, err error)                      { return }
func Accept4(fd int, flags int) (nfd int, sa syscall.Sockaddr, err error)          { return }
func EpollCreate(size int) (fd int, err error)                                     { return }
func EpollCreate1(flag int) (fd int, err error)                                    { return }
func InotifyInit() (fd int, err error)                                             { return }
func InotifyInit1(flags int) (fd int, err error)                                   { return }
func Eventfd(initval uint, flags int) (fd int, err error)                          { return }
func MemfdCreate(name string, flags int) (fd int, err error)                       { return }
func TimerfdCreate(clockid int, flags int) (fd int, err error)                     { return }
func Signalfd(fd int, sigmask *Sigset_t, flags int) (newfd int, err error)         { return }
func FanotifyInit(flags uint, event_f_flags uint) (fd int, err error)              { return }
func PerfEventOpen(attr *PerfEventAttr, pid, cpu, groupFd, flags int) (int, error) { return 0, nil }
func PidfdOpen(pid int, flags int) (fd int, err error)                             { return }
func PidfdGetfd(pidfd int, targetfd int, flags int) (fd int, err error)            { return }
func FcntlInt(fd uintptr, cmd, arg int) (int, error)                               { return 0, nil }
func CloseOnExec(fd int)                                                           {}
func Close(fd int) error                                                           { return nil }
func Exec(argv0 string, argv []string, envv []string) error                        { return nil }
