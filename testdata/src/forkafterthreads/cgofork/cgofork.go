// Package cgofork forks through cgo.
package cgofork

// #include <stdlib.h>
// #include <unistd.h>
import "C"

func worker() {}

func fork() int {
	go worker()
	return int(C.fork()) // want `^cgo call C.fork copies only the calling thread: .*; threads: go worker \(cgofork.go:11\) \(forkafterthreads/rawfork\)$`
}

func daemonize() {
	C.daemon(0, 0) // want `cgo call C.daemon copies only the calling thread: .*threads: the runtime's own`
}

// Safe twin: other C calls.
func pid() int { return int(C.getpid()) }
