package execinit

import (
	"syscall"

	_ "forkafterthreads/execinit/lib"
)

func reexec() {
	syscall.Exec("/proc/self/exe", nil, nil) // want `syscall.Exec while other goroutines may run: .*started: init of forkafterthreads/execinit/lib → init → go loop \(lib.go:9\)`
}
