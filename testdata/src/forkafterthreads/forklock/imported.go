package forklock

import (
	"syscall"

	"forkafterthreads/forklock/spawner"
)

// imported starts a process through a function of another package,
// known from its summary.
func imported() {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	spawner.Run() // want `^spawner.Run starts a process while syscall.ForkLock is held \(RLock at imported.go:12\): .*: spawner.Run \(imported.go:14\) → run \(spawner.go:8\) → \(\*exec.Cmd\).Run \(spawner.go:10\) \(forkafterthreads/forklock\)$`
}

// Safe twin.

// importedBackground: the imported function starts the process on a
// goroutine of its own, which waits for ForkLock while this one goes on.
func importedBackground() {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	spawner.Background()
}
