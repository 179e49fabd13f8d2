package exec

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

func flush() {}

func goThenExec() {
	go flush()
	syscall.Exec("/bin/true", nil, nil) // want `syscall.Exec while other goroutines may run: exec ends every other goroutine at once, without running their deferred calls or flushing their buffers \(golang/go#18146\); finish them first; started: go flush \(exec.go:16\)`
}

func notifyThenExec() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	unix.Exec("/bin/true", nil, nil) // want `unix.Exec while other goroutines may run: .*started: signal.Notify \(exec.go:22\)`
}

func afterFuncThenExec() {
	time.AfterFunc(time.Second, flush)
	syscall.Exec("/bin/true", nil, nil) // want `started: time.AfterFunc \(exec.go:27\)`
}

func contextAfterFunc(ctx context.Context) {
	context.AfterFunc(ctx, flush)
	syscall.Exec("/bin/true", nil, nil) // want `started: context.AfterFunc`
}

// startWorker starts a goroutine; its summary says so.
func startWorker() {
	go flush()
}

func helperThenExec() {
	startWorker()
	syscall.Exec("/bin/true", nil, nil) // want `started: startWorker \(exec.go:42\) → go flush \(exec.go:38\)`
}

// reexec is called after a goroutine started: the exec is reported here,
// with the call that leads to it.
func reexec() error {
	return syscall.Exec("/proc/self/exe", os.Args, os.Environ()) // want `syscall.Exec while other goroutines may run: .*started: go flush \(exec.go:53\), then reexec \(exec.go:54\) \(forkafterthreads/exec\)$`
}

func goThenReexec() {
	go flush()
	reexec()
}

// maybeGo starts a goroutine on one path only: it may have started.
func maybeGo(b bool) {
	if b {
		go flush()
	}
	syscall.Exec("/bin/true", nil, nil) // want `started: go flush \(exec.go:60\)`
}

// goInClosure: the exec runs in a goroutine, so at least its starter
// runs too.
func goInClosure() {
	go func() {
		syscall.Exec("/bin/true", nil, nil) // want `started: go func \(exec.go:68\)`
	}()
}

// Safe twins.

// execThenGo: the go statement after the exec never runs if it succeeds.
func execThenGo() {
	syscall.Exec("/bin/true", nil, nil)
	go flush()
}

// execAlone starts no goroutine.
func execAlone() error {
	return unix.Exec("/bin/true", nil, nil)
}

// goAfterReturn: the branch that starts a goroutine returns first.
func goAfterReturn(b bool) {
	if b {
		go flush()
		return
	}
	syscall.Exec("/bin/true", nil, nil)
}

// closureNotCalled is created before the goroutine starts.
func closureNotCalled() {
	f := func() { syscall.Exec("/bin/true", nil, nil) }
	_ = f
	go flush()
}

// execFirst execs before it starts anything: silent, here and in
// reexecEarly.
func execFirst() {
	reexecEarly()
	go flush()
}

func reexecEarly() {
	syscall.Exec("/proc/self/exe", nil, nil)
}

// worker runs on its own goroutine: its starter runs too.
func worker() {
	syscall.Exec("/bin/true", nil, nil) // want `started: go worker \(exec.go:119\) \(forkafterthreads/exec\)$`
}

func startsWorker() {
	go worker()
}
