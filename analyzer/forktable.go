package analyzer

import "sort"

// This file is what finalock knows about the calls that make a new
// process from the calling one without exec'ing: raw system calls and
// cgo functions. Constants are named, never numbered: the engine reads
// their values from the type-checked package being called (rawFork in
// fdcreations.go), so they are right for the GOOS and GOARCH it is built
// for.

// forkTraps lists the system calls that fork (looked up by name in the
// called package; a platform without one simply lacks the constant).
var forkTraps = map[string]bool{
	"SYS_FORK":   true,
	"SYS_VFORK":  true,
	"SYS_CLONE":  true, // unless the flags include CLONE_THREAD
	"SYS_CLONE3": true,
	"SYS_RFORK":  true, // only with RFPROC in the flags
	"SYS_PDFORK": true,
}

// cgoForks lists the C functions that fork the process.
var cgoForks = map[string]bool{
	"fork":    true,
	"vfork":   true,
	"daemon":  true,
	"forkpty": true,
}

// ForkTraps lists, sorted, the names of the system call numbers that
// make a new process (SYS_FORK): SYS_CLONE only without CLONE_THREAD and
// SYS_RFORK only with RFPROC, which the caller checks in the flags.
func ForkTraps() []string {
	out := make([]string, 0, len(forkTraps))
	for name := range forkTraps {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// CgoFork reports whether the C function name forks the process.
func CgoFork(name string) bool { return cgoForks[name] }
