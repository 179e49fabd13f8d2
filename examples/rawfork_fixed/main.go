// Rawfork_fixed is rawfork with the child started through os/exec.
//
// A goroutine still holds mu and another keeps the allocator busy, but the
// child is a new run of this program, started by os/exec: the fork that
// os/exec makes runs only raw system calls before it execs, so no lock of
// the parent matters. The child takes its own mu, allocates and exits.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
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

const childEnv = "RAWFORK_FIXED_CHILD"

func main() {
	if os.Getenv(childEnv) != "" {
		// The child: a fresh process with a fresh, unlocked mu.
		mu.Lock()
		b := make([]byte, 1<<20)
		sink.Store(&b)
		mu.Unlock()
		return
	}

	held := make(chan struct{})
	go holdLock(held)
	<-held
	go allocate()
	defer stop.Store(true)

	self, err := os.Executable()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	if err := cmd.Start(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			fmt.Println("child failed:", err)
			os.Exit(1)
		}
		fmt.Println("child done: started through os/exec, it took its own mu and allocated")
	case <-time.After(2 * time.Second):
		cmd.Process.Kill()
		<-done
		fmt.Println("child hung for 2s; killed it")
		os.Exit(1)
	}
}
