// Package signal shares a lock only with a signal handler, which Go runs
// as an ordinary goroutine on every runtime: silent.
package signal

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

var (
	mu      sync.Mutex
	pending []string
)

func Queue(s string) {
	mu.Lock()
	pending = append(pending, s)
	mu.Unlock()
}

func Watch() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	go func() {
		<-ch
		mu.Lock()
		pending = nil
		mu.Unlock()
	}()
}
