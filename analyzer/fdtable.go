package analyzer

// This file is what finalock knows about the calls of syscall and
// golang.org/x/sys/unix that create file descriptors or mark them
// close-on-exec: the one table that the engine's summaries and the
// creations it hands forkafterthreads both read (through FdEffectOf). Constants are
// named, never numbered: their values are read from the package called,
// so they are right for the GOOS and GOARCH it is built for.

import "sort"

// An FdCreator is a call of package syscall or golang.org/x/sys/unix that
// creates file descriptors.
type FdCreator struct {
	// Flags is the index of the argument holding the flags, or -1 when
	// the call takes none: it always creates them without close-on-exec.
	Flags int
	// Field, when set, is the field of the struct that the Flags
	// argument points to which holds the flags (Openat2's OpenHow.Flags).
	Field string
	// Cloexec names the flag constant that sets close-on-exec.
	Cloexec string
	// Pair reports that the call creates two descriptors.
	Pair bool
	// Place says where the new descriptors go; FdArg is the argument
	// that holds them for FdPairArg and FdNewArg.
	Place FdPlace
	FdArg int
	// Fixes are replacement calls to suggest for a call that takes no
	// flags, with %[1]s for the package name; one is used only when every
	// name it qualifies exists in the package called.
	Fixes []string
	// Fixed, for a call that takes no flags, is the function of the same
	// package that does the same with a flags argument, and FixedFlag the
	// close-on-exec flag to give it: Pipe(p) is Pipe2(p, O_CLOEXEC).
	// FixedArgs is the arguments of the fixed call that the original
	// call's arguments become (the rest dropped), before the flag.
	Fixed     string
	FixedFlag string
	FixedArgs int
}

// An FdPlace says where a call puts the descriptors it creates.
type FdPlace uint8

const (
	FdResult     FdPlace = iota // the first result
	FdPairResult                // the first result, a [2]int
	FdPairArg                   // the slice argument FdArg (pipes)
	FdNewArg                    // the descriptor number given as FdArg (dup2, dup3)
)

// FdCreators maps the fd-creating functions of syscall and x/sys/unix
// (same names in both) to their flags. FcntlInt is apart (see
// FdEffectOf): what it does depends on its command. PidfdOpen, PidfdGetfd
// and Kqueue are absent on purpose: their descriptors are always
// close-on-exec (kqueue descriptors are not inherited).
var FdCreators = map[string]FdCreator{
	"Open":       {Flags: 1, Cloexec: "O_CLOEXEC"},
	"Openat":     {Flags: 2, Cloexec: "O_CLOEXEC"},
	"Openat2":    {Flags: 2, Field: "Flags", Cloexec: "O_CLOEXEC"},
	"Creat":      {Flags: -1, Fixes: []string{"%[1]s.Open(path, %[1]s.O_CREAT|%[1]s.O_WRONLY|%[1]s.O_TRUNC|%[1]s.O_CLOEXEC, mode)"}},
	"Socket":     {Flags: 1, Cloexec: "SOCK_CLOEXEC"},
	"Socketpair": {Flags: 1, Cloexec: "SOCK_CLOEXEC", Pair: true, Place: FdPairResult},
	"Pipe": {Flags: -1, Pair: true, Place: FdPairArg, Fixes: []string{"%[1]s.Pipe2(p, %[1]s.O_CLOEXEC)"},
		Fixed: "Pipe2", FixedFlag: "O_CLOEXEC", FixedArgs: 1},
	"Pipe2": {Flags: 1, Cloexec: "O_CLOEXEC", Pair: true, Place: FdPairArg},
	"Dup":   {Flags: -1, Fixes: []string{"%[1]s.FcntlInt(uintptr(fd), %[1]s.F_DUPFD_CLOEXEC, 0)"}},
	"Dup2":  {Flags: -1, Place: FdNewArg, FdArg: 1, Fixes: []string{"%[1]s.Dup3(oldfd, newfd, %[1]s.O_CLOEXEC)"}},
	"Dup3":  {Flags: 2, Cloexec: "O_CLOEXEC", Place: FdNewArg, FdArg: 1},
	"Accept": {Flags: -1, Fixes: []string{"%[1]s.Accept4(fd, %[1]s.SOCK_CLOEXEC)"},
		Fixed: "Accept4", FixedFlag: "SOCK_CLOEXEC", FixedArgs: 1},
	"Accept4": {Flags: 1, Cloexec: "SOCK_CLOEXEC"},
	"EpollCreate": {Flags: -1, Fixes: []string{"%[1]s.EpollCreate1(%[1]s.EPOLL_CLOEXEC)"},
		Fixed: "EpollCreate1", FixedFlag: "EPOLL_CLOEXEC", FixedArgs: 0},
	"EpollCreate1": {Flags: 0, Cloexec: "EPOLL_CLOEXEC"},
	"InotifyInit": {Flags: -1, Fixes: []string{"%[1]s.InotifyInit1(%[1]s.IN_CLOEXEC)"},
		Fixed: "InotifyInit1", FixedFlag: "IN_CLOEXEC", FixedArgs: 0},
	"InotifyInit1":  {Flags: 0, Cloexec: "IN_CLOEXEC"},
	"Eventfd":       {Flags: 1, Cloexec: "EFD_CLOEXEC"},
	"MemfdCreate":   {Flags: 1, Cloexec: "MFD_CLOEXEC"},
	"TimerfdCreate": {Flags: 1, Cloexec: "TFD_CLOEXEC"},
	"Signalfd":      {Flags: 2, Cloexec: "SFD_CLOEXEC"},
	"FanotifyInit":  {Flags: 0, Cloexec: "FAN_CLOEXEC"},
	"PerfEventOpen": {Flags: 4, Cloexec: "PERF_FLAG_FD_CLOEXEC"},
}

// fdTraps maps the fd-creating system call numbers to their flags, for
// raw Syscall calls; the indexes count the system call's own arguments
// (a1 is 0). SYS_FCNTL is apart, like FcntlInt.
var fdTraps = map[string]FdCreator{
	"SYS_OPEN":            {Flags: 1, Cloexec: "O_CLOEXEC"},
	"SYS_OPENAT":          {Flags: 2, Cloexec: "O_CLOEXEC"},
	"SYS_CREAT":           {Flags: -1},
	"SYS_SOCKET":          {Flags: 1, Cloexec: "SOCK_CLOEXEC"},
	"SYS_SOCKETPAIR":      {Flags: 1, Cloexec: "SOCK_CLOEXEC", Pair: true, Place: FdPairArg, FdArg: 3},
	"SYS_PIPE":            {Flags: -1, Pair: true, Place: FdPairArg},
	"SYS_PIPE2":           {Flags: 1, Cloexec: "O_CLOEXEC", Pair: true, Place: FdPairArg},
	"SYS_DUP":             {Flags: -1},
	"SYS_DUP2":            {Flags: -1, Place: FdNewArg, FdArg: 1},
	"SYS_DUP3":            {Flags: 2, Cloexec: "O_CLOEXEC", Place: FdNewArg, FdArg: 1},
	"SYS_ACCEPT":          {Flags: -1},
	"SYS_ACCEPT4":         {Flags: 3, Cloexec: "SOCK_CLOEXEC"},
	"SYS_EPOLL_CREATE":    {Flags: -1},
	"SYS_EPOLL_CREATE1":   {Flags: 0, Cloexec: "EPOLL_CLOEXEC"},
	"SYS_INOTIFY_INIT":    {Flags: -1},
	"SYS_INOTIFY_INIT1":   {Flags: 0, Cloexec: "IN_CLOEXEC"},
	"SYS_EVENTFD":         {Flags: -1},
	"SYS_EVENTFD2":        {Flags: 1, Cloexec: "EFD_CLOEXEC"},
	"SYS_MEMFD_CREATE":    {Flags: 1, Cloexec: "MFD_CLOEXEC"},
	"SYS_TIMERFD_CREATE":  {Flags: 1, Cloexec: "TFD_CLOEXEC"},
	"SYS_SIGNALFD":        {Flags: -1},
	"SYS_SIGNALFD4":       {Flags: 3, Cloexec: "SFD_CLOEXEC"},
	"SYS_FANOTIFY_INIT":   {Flags: 0, Cloexec: "FAN_CLOEXEC"},
	"SYS_PERF_EVENT_OPEN": {Flags: 4, Cloexec: "PERF_FLAG_FD_CLOEXEC"},
}

// FdTraps lists the names of the fd-creating system call numbers that
// raw Syscall calls are checked for, SYS_FCNTL included.
func FdTraps() []string {
	out := make([]string, 0, len(fdTraps)+1)
	for name := range fdTraps {
		out = append(out, name)
	}
	out = append(out, "SYS_FCNTL")
	sort.Strings(out)
	return out
}
