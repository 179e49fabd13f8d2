// Package spawner starts processes for its importers: one on the
// caller's goroutine, one on a goroutine of its own.
package spawner

import "os/exec"

// Run starts a process on the caller's goroutine, through a helper.
func Run() error { return run("true") }

func run(name string) error { return exec.Command(name).Run() }

// Background starts a process on a goroutine it starts.
func Background() {
	go run("true")
}
