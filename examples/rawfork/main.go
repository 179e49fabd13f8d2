//go:build linux && amd64

// Rawfork shows a child that hangs after a raw fork.
//
// A goroutine takes mu and keeps it while another keeps the allocator
// busy. main then forks with a raw SYS_FORK. The child gets a copy of the
// memory, with mu locked, but only the thread that called fork: the
// goroutine that would unlock mu does not run in the child, and neither do
// the runtime's other threads, whose locks stay locked too. The child
// waits for mu forever. The parent gives it two seconds, kills it and says
// it hung. os/exec and syscall.ForkExec do not have this problem: their
// child runs only raw system calls until it execs (see rawfork_fixed).
package main

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	mu   sync.Mutex
	sink atomic.Pointer[[]byte]
	stop atomic.Bool
)

func holdLock(held chan<- struct{}) {
	mu.Lock()
	close(held)
	select {} // never unlocks
}

// allocate keeps a thread busy in the allocator until stop is set.
func allocate() {
	for !stop.Load() {
		b := make([]byte, 256)
		sink.Store(&b)
	}
}

func main() {
	held := make(chan struct{})
	go holdLock(held)
	<-held
	go allocate()
	defer stop.Store(true)
	time.Sleep(10 * time.Millisecond)

	pid, _, errno := syscall.RawSyscall(syscall.SYS_FORK, 0, 0, 0)
	if errno != 0 {
		fmt.Println("fork:", errno)
		os.Exit(1)
	}
	if pid == 0 {
		// The child: take the lock, then leave at once.
		mu.Lock()
		syscall.RawSyscall(syscall.SYS_EXIT_GROUP, 0, 0, 0)
	}

	var ws syscall.WaitStatus
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got, err := syscall.Wait4(int(pid), &ws, syscall.WNOHANG, nil); err == nil && got == int(pid) {
			fmt.Printf("child exited within 2s (status %d)\n", ws.ExitStatus())
			return
		}
	}
	syscall.Kill(int(pid), syscall.SIGKILL)
	syscall.Wait4(int(pid), &ws, 0, nil)
	fmt.Println("child hung for 2s after a raw fork: mu is held by a goroutine that does not run in the child; killed it")
}
