package rawfork

import (
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

var mu sync.Mutex

func hold() {
	mu.Lock()
	select {}
}

// forkAfterGo starts a goroutine, then forks: the message names it.
func forkAfterGo() {
	go hold()
	syscall.RawSyscall(syscall.SYS_FORK, 0, 0, 0) // want `raw fork syscall.RawSyscall\(SYS_FORK\) copies only the calling thread: .*; threads: go hold \(rawfork.go:19\)`
}

// forkAlone forks with no goroutine of its own: the runtime's threads are
// there anyway.
func forkAlone() uintptr {
	pid, _, _ := syscall.Syscall(syscall.SYS_VFORK, 0, 0, 0) // want `raw fork syscall.Syscall\(SYS_VFORK\) .*threads: the runtime's own \(sysmon, GC workers\), running before main`
	return pid
}

func forkUnix() {
	unix.RawSyscall6(unix.SYS_CLONE, unix.SIGCHLD, 0, 0, 0, 0, 0) // want `raw fork unix.RawSyscall6\(SYS_CLONE\)`
	unix.RawSyscall(unix.SYS_CLONE3, 0, 0, 0)                     // want `raw fork unix.RawSyscall\(SYS_CLONE3\)`
	unix.RawSyscallNoError(unix.SYS_FORK, 0, 0, 0)                // want `raw fork unix.RawSyscallNoError\(SYS_FORK\)`
}

// trapVar passes the trap through a local variable.
func trapVar() {
	trap := syscall.SYS_FORK
	syscall.RawSyscall(uintptr(trap), 0, 0, 0) // want `raw fork syscall.RawSyscall\(SYS_FORK\)`
}

// cloneFlags: clone with flags that cannot be evaluated is reported.
func cloneFlags(flags uintptr) {
	syscall.RawSyscall(syscall.SYS_CLONE, flags, 0, 0) // want `raw fork syscall.RawSyscall\(SYS_CLONE\)`
}

// inLoop: the goroutine started at the end of one iteration precedes the
// fork of the next.
func inLoop() {
	for i := 0; i < 3; i++ {
		syscall.RawSyscall(syscall.SYS_FORK, 0, 0, 0) // want `threads: go hold \(rawfork.go:52\)`
		go hold()
	}
}

// Safe twins.

// names uses SYS_FORK as a map key: no call, no fork.
var names = map[uintptr]string{
	syscall.SYS_FORK:  "fork",
	syscall.SYS_VFORK: "vfork",
}

func name(trap uintptr) string { return names[trap] }

// thread: clone with CLONE_THREAD makes a thread, not a process.
func thread() {
	const flags = unix.CLONE_VM | unix.CLONE_FS | unix.CLONE_FILES | unix.CLONE_SIGHAND | unix.CLONE_THREAD
	unix.RawSyscall(unix.SYS_CLONE, flags, 0, 0)
}

// getpid is a raw system call that does not fork.
func getpid() uintptr {
	pid, _, _ := syscall.RawSyscall(syscall.SYS_GETPID, 0, 0, 0)
	return pid
}

// dynamicTrap: a trap that is not a constant is not evaluated.
func dynamicTrap(trap uintptr) {
	syscall.RawSyscall(trap, 0, 0, 0)
}

// forkHelper forks; its caller started a goroutine first.
func forkHelper() {
	syscall.RawSyscall(syscall.SYS_FORK, 0, 0, 0) // want `threads: go hold \(rawfork.go:89\), then forkHelper \(rawfork.go:90\) \(forkafterthreads/rawfork\)$`
}

func callsForkHelper() {
	go hold()
	forkHelper()
}

// trapOverwritten: the trap variable holds SYS_FORK at the call.
func trapOverwritten() {
	trap := syscall.SYS_GETPID
	trap = syscall.SYS_FORK
	syscall.RawSyscall(uintptr(trap), 0, 0, 0) // want `raw fork syscall.RawSyscall\(SYS_FORK\)`
}

// threadFlags: the flags hold CLONE_THREAD at the call, whatever they
// held before; a thread, not a process.
func threadFlags() {
	flags := uintptr(unix.SIGCHLD)
	flags = unix.CLONE_VM | unix.CLONE_FS | unix.CLONE_FILES | unix.CLONE_SIGHAND | unix.CLONE_THREAD
	unix.RawSyscall(unix.SYS_CLONE, flags, 0, 0)
}
