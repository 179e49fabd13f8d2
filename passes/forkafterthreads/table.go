package forkafterthreads

// This file is what forkafterthreads knows about the standard library and
// golang.org/x/sys/unix. Constants are named, never numbered: their values
// are read from the type-checked package being called, so they are right
// for the GOOS and GOARCH the package is built for.

import (
	"regexp"

	"github.com/finalock/finalock/analyzer"
)

// unixPath is the import path of golang.org/x/sys/unix.
const unixPath = "golang.org/x/sys/unix"

// rawSyscall matches the raw system call entry points, whose first
// argument is the trap number: Syscall, Syscall6, RawSyscall6,
// SyscallNoError, Syscall9 and the like.
var rawSyscall = regexp.MustCompile(`^(Raw)?Syscall(N|[0-9]+)?(NoError)?$`)

// forkTraps lists the system calls that make a new process from the
// calling one without exec'ing (looked up by name in the called package;
// a platform without one simply lacks the constant).
var forkTraps = map[string]bool{
	"SYS_FORK":   true,
	"SYS_VFORK":  true,
	"SYS_CLONE":  true, // unless the flags include CLONE_THREAD
	"SYS_CLONE3": true,
	"SYS_RFORK":  true, // only with RFPROC in the flags
	"SYS_PDFORK": true,
}

// cgoForks lists the C functions that fork the process.
var cgoForks = map[string]bool{
	"fork":    true,
	"vfork":   true,
	"daemon":  true,
	"forkpty": true,
}

// fdCall describes a call that creates file descriptors.
type fdCall struct {
	// flags is the index of the argument holding the flags, or -1 when
	// the call takes none: it always creates the descriptor without
	// close-on-exec.
	flags int
	// cloexec names the flag constant that sets close-on-exec.
	cloexec string
	// fd says where the new descriptor goes.
	fd fdPlace
	// fdArg is the argument holding the descriptor (fdPairArg, fdNewArg).
	fdArg int
	// fixes are replacement calls to suggest for a call without flags,
	// with %[1]s for the package name; one is used only when every name
	// it qualifies exists in the package called.
	fixes []string
}

// fdPlace says where a call puts the descriptor it creates.
type fdPlace uint8

const (
	fdResult     fdPlace = iota // the first result
	fdPairResult                // the first result, a [2]int
	fdPairArg                   // the slice argument fdArg (pipes)
	fdNewArg                    // the descriptor number given as fdArg (dup2, dup3)
)

// fdShapes says, for the fd-creating calls of analyzer.FdCreators that
// need it, where the descriptors go and which calls to suggest instead;
// fdCalls joins it with the engine's table of flags.
var fdShapes = map[string]fdCall{
	"Creat":       {fixes: []string{"%[1]s.Open(path, %[1]s.O_CREAT|%[1]s.O_WRONLY|%[1]s.O_TRUNC|%[1]s.O_CLOEXEC, mode)"}},
	"Socketpair":  {fd: fdPairResult},
	"Pipe":        {fd: fdPairArg, fdArg: 0, fixes: []string{"%[1]s.Pipe2(p, %[1]s.O_CLOEXEC)"}},
	"Pipe2":       {fd: fdPairArg, fdArg: 0},
	"Dup":         {fixes: []string{"%[1]s.FcntlInt(uintptr(fd), %[1]s.F_DUPFD_CLOEXEC, 0)"}},
	"Dup2":        {fd: fdNewArg, fdArg: 1, fixes: []string{"%[1]s.Dup3(oldfd, newfd, %[1]s.O_CLOEXEC)"}},
	"Dup3":        {fd: fdNewArg, fdArg: 1},
	"Accept":      {fixes: []string{"%[1]s.Accept4(fd, %[1]s.SOCK_CLOEXEC)"}},
	"EpollCreate": {fixes: []string{"%[1]s.EpollCreate1(%[1]s.EPOLL_CLOEXEC)"}},
	"InotifyInit": {fixes: []string{"%[1]s.InotifyInit1(%[1]s.IN_CLOEXEC)"}},
}

// fdCalls maps the fd-creating functions of syscall and x/sys/unix (same
// names in both) to their flags argument, where the descriptors go and
// the fixes to suggest.
var fdCalls = func() map[string]fdCall {
	m := make(map[string]fdCall, len(analyzer.FdCreators))
	for name, fc := range analyzer.FdCreators {
		call := fdShapes[name]
		call.flags, call.cloexec = fc.Flags, fc.Cloexec
		m[name] = call
	}
	return m
}()

// fdTraps maps the fd-creating system call numbers to their flags, for
// raw Syscall calls; flags indexes the system call's own arguments (a1 is
// 0). SYS_FCNTL is handled apart, like FcntlInt.
var fdTraps = map[string]fdCall{
	"SYS_OPEN":            {flags: 1, cloexec: "O_CLOEXEC"},
	"SYS_OPENAT":          {flags: 2, cloexec: "O_CLOEXEC"},
	"SYS_CREAT":           {flags: -1},
	"SYS_SOCKET":          {flags: 1, cloexec: "SOCK_CLOEXEC"},
	"SYS_SOCKETPAIR":      {flags: 1, cloexec: "SOCK_CLOEXEC", fd: fdPairArg, fdArg: 3},
	"SYS_PIPE":            {flags: -1, fd: fdPairArg, fdArg: 0},
	"SYS_PIPE2":           {flags: 1, cloexec: "O_CLOEXEC", fd: fdPairArg, fdArg: 0},
	"SYS_DUP":             {flags: -1},
	"SYS_DUP2":            {flags: -1, fd: fdNewArg, fdArg: 1},
	"SYS_DUP3":            {flags: 2, cloexec: "O_CLOEXEC", fd: fdNewArg, fdArg: 1},
	"SYS_ACCEPT":          {flags: -1},
	"SYS_ACCEPT4":         {flags: 3, cloexec: "SOCK_CLOEXEC"},
	"SYS_EPOLL_CREATE":    {flags: -1},
	"SYS_EPOLL_CREATE1":   {flags: 0, cloexec: "EPOLL_CLOEXEC"},
	"SYS_INOTIFY_INIT":    {flags: -1},
	"SYS_INOTIFY_INIT1":   {flags: 0, cloexec: "IN_CLOEXEC"},
	"SYS_EVENTFD":         {flags: -1},
	"SYS_EVENTFD2":        {flags: 1, cloexec: "EFD_CLOEXEC"},
	"SYS_MEMFD_CREATE":    {flags: 1, cloexec: "MFD_CLOEXEC"},
	"SYS_TIMERFD_CREATE":  {flags: 1, cloexec: "TFD_CLOEXEC"},
	"SYS_SIGNALFD":        {flags: -1},
	"SYS_SIGNALFD4":       {flags: 3, cloexec: "SFD_CLOEXEC"},
	"SYS_FANOTIFY_INIT":   {flags: 0, cloexec: "FAN_CLOEXEC"},
	"SYS_PERF_EVENT_OPEN": {flags: 4, cloexec: "PERF_FLAG_FD_CLOEXEC"},
}

// startCalls lists the std calls that start a process (and so take
// syscall.ForkLock for writing), with the words a diagnostic uses.
var startCalls = map[string]string{
	"(*os/exec.Cmd).Start":          "(*exec.Cmd).Start",
	"(*os/exec.Cmd).Run":            "(*exec.Cmd).Run",
	"(*os/exec.Cmd).Output":         "(*exec.Cmd).Output",
	"(*os/exec.Cmd).CombinedOutput": "(*exec.Cmd).CombinedOutput",
	"os.StartProcess":               "os.StartProcess",
	"syscall.ForkExec":              "syscall.ForkExec",
	"syscall.StartProcess":          "syscall.StartProcess",
}

// noReturn lists the std calls after which a statement list does not go
// on.
var noReturn = map[string]bool{
	"os.Exit":               true,
	"syscall.Exit":          true,
	"runtime.Goexit":        true,
	"log.Fatal":             true,
	"log.Fatalf":            true,
	"log.Fatalln":           true,
	"log.Panic":             true,
	"log.Panicf":            true,
	"log.Panicln":           true,
	unixPath + ".Exit":      true,
	"(*log.Logger).Fatal":   true,
	"(*log.Logger).Fatalf":  true,
	"(*log.Logger).Fatalln": true,
}
