// Package forkafterthreads defines an Analyzer that reports what goes wrong
// when a Go process forks, execs or starts processes: raw forks, execs
// that kill running goroutines, file descriptors that leak into child
// processes, and process starts that deadlock or lose their child.
//
// # Analyzer forkafterthreads
//
// forkafterthreads: report raw forks, execs after goroutines, leaked descriptors and unsafe process starts
//
// A Go process is multi-threaded before main runs (sysmon, GC workers),
// so fork has the problem it has in every threaded program: the child
// keeps only the calling thread, and every lock another thread held stays
// locked. os/exec and syscall.ForkExec are safe because their child runs
// only raw system calls until it execs. The rules are:
//
//   - rawfork: a raw fork: syscall or golang.org/x/sys/unix Syscall,
//     RawSyscall and their variants with SYS_FORK, SYS_VFORK, SYS_CLONE
//     (without CLONE_THREAD), SYS_CLONE3, SYS_PDFORK or SYS_RFORK (with
//     RFPROC), and the cgo calls C.fork, C.vfork, C.daemon and C.forkpty.
//     Always reported; the message names a goroutine start that precedes
//     the fork (in the function, before a call of the function in the
//     package, or in package initialization) when there is one, and the
//     runtime's own threads otherwise.
//   - exec: syscall.Exec or unix.Exec after a goroutine may have started:
//     a go statement, a call that starts one (signal.Notify,
//     time.AfterFunc, http.Server.Serve, functions whose finalock summary
//     says so), the same before a call of the function in the package, or
//     the init function of an imported package. Exec ends every goroutine
//     at once, without their deferred calls. Statement order counts: a go
//     statement after the exec is not reported, nor an exec in a process
//     that started no goroutine (the re-exec pattern). A goroutine that
//     the function which started it joins before it returns, on every
//     path (WaitGroup.Wait, a range over a channel the goroutine closes
//     last, the receive of the value it sends last), is not counted
//     after that function returns; what it started itself still is.
//   - fdleak: a descriptor created without close-on-exec and not marked
//     close-on-exec later in the same function: Open, Openat, Openat2,
//     Socket, Socketpair, Pipe2, Dup3, Accept4, EpollCreate1, InotifyInit1,
//     Eventfd, MemfdCreate, TimerfdCreate, Signalfd, FanotifyInit,
//     PerfEventOpen and FcntlInt(fd, F_DUPFD, n) whose flags lack the
//     matching CLOEXEC flag; Creat, Pipe, Dup, Dup2, Accept, EpollCreate
//     and InotifyInit, which take no such flag; the same system calls made
//     raw; and functions, of the package or another, that pass a flags
//     parameter on to one of these without marking the descriptor they
//     create (the engine's summary says so; a duplicate made with
//     F_DUPFD_CLOEXEC does not mark the original). It leaks into every process that os/exec starts (runc's
//     CVE-2024-21626). A descriptor marked with CloseOnExec only after it
//     was created, outside syscall.ForkLock.RLock, is reported as a race
//     in a library or a program that can start processes: a process
//     started in between inherits it. A call of a function, of the
//     package or another, that marks its parameter close-on-exec marks
//     the argument (the engine's summary says which parameters).
//   - forklock: syscall.ForkLock held (Lock or RLock) across a call that
//     starts a process, itself or through functions of the package or
//     another (the engine's summary says so; a start on a goroutine the
//     call starts does not count). Starting a process takes
//     ForkLock.Lock: the goroutine waits for itself.
//   - pdeathsig: SysProcAttr.Pdeathsig set in a function that starts a
//     process (itself or through a helper) from a goroutine that has not
//     called runtime.LockOSThread before the start on every path (a go
//     statement's goroutine has locked nothing), reported where it is
//     set; or set in one function (a
//     constructor that returns the command, a helper that stores it into
//     a field, in this package or another) and started in another that
//     does not call runtime.LockOSThread before the start on every path,
//     reported at the start. The signal is sent when the thread that
//     started the child exits, not the process (golang/go#27505).
//
// Flags are evaluated by finalock's engine, on the SSA form, from the
// type-checked constants of the platform the package is built for. A
// flags variable counts as having close-on-exec when it may hold a value
// with the flag at the call (a flag added after the call does not
// count); a parameter of an unexported function that the package only
// calls has the values that its calls pass; flags that cannot be
// evaluated are not reported. dup2 and dup3 onto standard
// input, output or error are not reported: os/exec sets those in every
// child. Where the fix is mechanical, fdleak suggests it: the call's own
// close-on-exec flag OR'ed into a constant flags argument, or Pipe,
// Accept, InotifyInit and EpollCreate replaced by Pipe2, Accept4,
// InotifyInit1 and EpollCreate1 with the flag.
//
// Example (fdleak):
//
//	fd, err := unix.Open(path, unix.O_RDONLY, 0) // unix.Open without unix.O_CLOEXEC:
//	// the descriptor leaks into every process os/exec starts (runc CVE-2024-21626);
//	// add unix.O_CLOEXEC to the flags
package forkafterthreads
