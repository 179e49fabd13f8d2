// Package execfacts learns from the engine's facts that worker.Start
// starts a goroutine.
package execfacts

import (
	"net"
	"net/http"
	"syscall"

	"forkafterthreads/execfacts/worker"
)

func startThenExec() {
	worker.Start()
	syscall.Exec("/bin/true", nil, nil) // want `started: worker.Start \(execfacts.go:14\) → go loop \(worker.go:8\) \(forkafterthreads/exec\)$`
}

func serveThenExec(srv *http.Server, l net.Listener) {
	srv.Serve(l)
	syscall.Exec("/bin/true", nil, nil) // want `started: \(\*http.Server\).Serve \(execfacts.go:19\) \(forkafterthreads/exec\)$`
}

// Safe twin.
func nothingThenExec() {
	worker.Nothing()
	syscall.Exec("/bin/true", nil, nil)
}
