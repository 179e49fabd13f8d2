//go:build linux

// Fdleak shows a descriptor opened without O_CLOEXEC leaking into a child.
//
// The program opens a file with syscall.Open and no O_CLOEXEC, then runs
// "ls -l /proc/self/fd" through os/exec. os/exec does not close the
// parent's descriptors in the child: every descriptor without
// close-on-exec stays open across exec, and ls lists the file among its
// own. This is how runc leaked a host cgroup directory into containers
// (CVE-2024-21626). fdleak_fixed passes syscall.O_CLOEXEC.
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

	fd, err := syscall.Open(tmp.Name(), syscall.O_RDONLY, 0)
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
