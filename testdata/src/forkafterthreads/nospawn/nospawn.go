// Command nospawn creates descriptors without close-on-exec and marks them
// right after, outside syscall.ForkLock, in a program that starts no
// process: the window is harmless, because the descriptors are
// close-on-exec before any exec can happen. (A library cannot know that
// of its importers: fdvars.)
package main

import "syscall"

// Pipe marks both ends after creating them: silent without process starts.
func Pipe() (p [2]int, err error) {
	if err = syscall.Pipe(p[:]); err != nil {
		return p, err
	}
	syscall.CloseOnExec(p[0])
	syscall.CloseOnExec(p[1])
	return p, nil
}

// Leak never marks the descriptor: reported, with or without process
// starts, since it leaks into every later child.
func Leak(path string) (int, error) {
	return syscall.Open(path, syscall.O_RDONLY, 0) // want `syscall.Open without syscall.O_CLOEXEC`
}

func main() {
	Pipe()
	Leak("/etc/passwd")
}
