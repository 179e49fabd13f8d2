//go:build linux

// Fdleak_fixed is fdleak with the file opened close-on-exec.
//
// The program opens the file with syscall.O_CLOEXEC, so the kernel closes
// the descriptor in the child when it execs: "ls -l /proc/self/fd", run
// through os/exec, does not list it.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

func main() {
	tmp, err := os.CreateTemp("", "fdleak")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())

	fd, err := syscall.Open(tmp.Name(), syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	defer syscall.Close(fd)

	out, err := exec.Command("ls", "-l", "/proc/self/fd").Output()
	if err != nil {
		fmt.Println("ls:", err)
		os.Exit(1)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasSuffix(line, " -> "+tmp.Name()) {
			fields := strings.Fields(line)
			fmt.Printf("leaked: the child has fd %s -> %s\n", fields[len(fields)-3], tmp.Name())
			return
		}
	}
	fmt.Printf("not leaked: the child does not have %s open\n", tmp.Name())
}
