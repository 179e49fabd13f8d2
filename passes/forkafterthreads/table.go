package forkafterthreads

// This file is what forkafterthreads knows about the standard library and
// golang.org/x/sys/unix, beyond the fd-creating calls (the engine's
// table, analyzer/fdtable.go). Constants are named, never numbered: their values
// are read from the type-checked package being called, so they are right
// for the GOOS and GOARCH the package is built for.

// unixPath is the import path of golang.org/x/sys/unix.
const unixPath = "golang.org/x/sys/unix"

// forkTraps lists the system calls that make a new process from the
// calling one without exec'ing (looked up by name in the called package;
// a platform without one simply lacks the constant).
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

// noReturn lists the std calls after which a statement list does not go
// on.
var noReturn = map[string]bool{
	"os.Exit":               true,
	"syscall.Exit":          true,
	"runtime.Goexit":        true,
	"log.Fatal":             true,
	"log.Fatalf":            true,
	"log.Fatalln":           true,
	"log.Panic":             true,
	"log.Panicf":            true,
	"log.Panicln":           true,
	unixPath + ".Exit":      true,
	"(*log.Logger).Fatal":   true,
	"(*log.Logger).Fatalf":  true,
	"(*log.Logger).Fatalln": true,
}
