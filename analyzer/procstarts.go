package analyzer

// processStarts lists the std calls that start a process (and so take
// syscall.ForkLock for writing), with the words a diagnostic uses.
var processStarts = map[string]string{
	"(*os/exec.Cmd).Start":          "(*exec.Cmd).Start",
	"(*os/exec.Cmd).Run":            "(*exec.Cmd).Run",
	"(*os/exec.Cmd).Output":         "(*exec.Cmd).Output",
	"(*os/exec.Cmd).CombinedOutput": "(*exec.Cmd).CombinedOutput",
	"os.StartProcess":               "os.StartProcess",
	"syscall.ForkExec":              "syscall.ForkExec",
	"syscall.StartProcess":          "syscall.StartProcess",
}

// ProcessStart reports whether the std function with the given
// types.Func.FullName starts a process, and returns its name as a
// diagnostic shows it.
func ProcessStart(fullName string) (string, bool) {
	name, ok := processStarts[fullName]
	return name, ok
}
