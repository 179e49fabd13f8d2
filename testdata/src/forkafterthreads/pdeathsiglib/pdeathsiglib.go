// Package pdeathsiglib builds commands with Pdeathsig for its importers
// (pdeathsiguse), which start them: it starts nothing itself.
package pdeathsiglib

import (
	"os/exec"
	"syscall"
)

// Command returns a command that gets SIGTERM when its parent thread
// exits.
func Command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM, Setpgid: true}
	return cmd
}

// Plain returns a command without Pdeathsig.
func Plain(name string) *exec.Cmd { return exec.Command(name) }

// A Service keeps its command in an exported field.
type Service struct {
	Cmd *exec.Cmd
}

// Prepare stores a command with Pdeathsig into s.Cmd.
func (s *Service) Prepare() {
	s.Cmd = Command("sleep", "100")
}
