package analyzer

import "strings"

// noReturn lists the std calls (and golang.org/x/sys/unix's) after which
// a statement list does not go on.
var noReturn = map[string]bool{
	"os.Exit":                    true,
	"syscall.Exit":               true,
	"runtime.Goexit":             true,
	"log.Fatal":                  true,
	"log.Fatalf":                 true,
	"log.Fatalln":                true,
	"log.Panic":                  true,
	"log.Panicf":                 true,
	"log.Panicln":                true,
	"golang.org/x/sys/unix.Exit": true,
	"(*log.Logger).Fatal":        true,
	"(*log.Logger).Fatalf":       true,
	"(*log.Logger).Fatalln":      true,
}

// NoReturn reports whether the std function with the given
// types.Func.FullName never returns (vendored copies included).
func NoReturn(fullName string) bool {
	if i := strings.LastIndex(fullName, "/vendor/"); i >= 0 {
		fullName = fullName[i+len("/vendor/"):]
	}
	return noReturn[fullName]
}
