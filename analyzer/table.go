package analyzer

import "strings"

// This file is what finalock knows about the standard library. Results must
// not depend on facts for std packages (Bazel's nogo computes none, and go
// vet's std facts cost time), so std callees are looked up here and nowhere
// else. Keys are types.Func.FullName values.

// lockCalls maps the acquiring methods of the std locks to the kind of
// acquisition. TryLock and TryRLock are absent on purpose: they never wait.
var lockCalls = map[string]Kind{
	"(*sync.Mutex).Lock":    KindLock,
	"(*sync.RWMutex).Lock":  KindLock,
	"(*sync.RWMutex).RLock": KindRLock,
}

// unlockCalls lists the releasing methods of the std locks.
var unlockCalls = map[string]bool{
	"(*sync.Mutex).Unlock":    true,
	"(*sync.RWMutex).Unlock":  true,
	"(*sync.RWMutex).RUnlock": true,
}

// The sync calls the progress model knows: Cond.Wait (which releases the
// Cond's own lock while it waits), WaitGroup.Wait (which waits for every
// Done) and WaitGroup.Done (what ends it).
const (
	condWait      = "(*sync.Cond).Wait"
	condSignal    = "(*sync.Cond).Signal"
	condBroadcast = "(*sync.Cond).Broadcast"
	waitGroupWait = "(*sync.WaitGroup).Wait"
	wgDone        = "(*sync.WaitGroup).Done"
	wgAdd         = "(*sync.WaitGroup).Add"
)

// deadlineContexts lists the std functions whose context is done after a
// bounded time: a receive from its Done channel is no unbounded wait.
var deadlineContexts = map[string]bool{
	"context.WithTimeout":       true,
	"context.WithTimeoutCause":  true,
	"context.WithDeadline":      true,
	"context.WithDeadlineCause": true,
}

// invokeCalls lists the std functions that call a function they are given
// before they return, with the index of that argument (receiver first):
// what that function does, the call does.
var invokeCalls = map[string]int{
	"runtime/pprof.Do": 2,
	"(*sync.Once).Do":  1,
}

// goCalls lists the std calls that start a goroutine (or make the runtime
// start one on the program's behalf).
var goCalls = map[string]bool{
	wgGo:                                   true,
	"os/signal.Notify":                     true,
	"os/signal.NotifyContext":              true,
	"time.AfterFunc":                       true,
	"context.AfterFunc":                    true,
	"(*net/http.Server).Serve":             true,
	"(*net/http.Server).ServeTLS":          true,
	"(*net/http.Server).ListenAndServe":    true,
	"(*net/http.Server).ListenAndServeTLS": true,
	"net/http.Serve":                       true,
	"net/http.ServeTLS":                    true,
	"net/http.ListenAndServe":              true,
	"net/http.ListenAndServeTLS":           true,
}

// StartsGoroutine reports whether the std function with the given
// types.Func.FullName starts a goroutine.
func StartsGoroutine(fullName string) bool { return goCalls[fullName] }

// allocCalls lists std functions that always or usually allocate. Std
// functions that are not listed are assumed not to allocate: finalock
// reports on evidence only.
var allocCalls = map[string]bool{
	"errors.New":                          true,
	"strings.Join":                        true,
	"strings.Split":                       true,
	"strings.SplitN":                      true,
	"strings.Fields":                      true,
	"strings.Repeat":                      true,
	"strings.Replace":                     true,
	"strings.ReplaceAll":                  true,
	"strings.ToLower":                     true,
	"strings.ToUpper":                     true,
	"strconv.Itoa":                        true,
	"strconv.FormatInt":                   true,
	"strconv.FormatUint":                  true,
	"strconv.Quote":                       true,
	"(*bytes.Buffer).Write":               true,
	"(*bytes.Buffer).WriteString":         true,
	"(*bytes.Buffer).WriteByte":           true,
	"(*strings.Builder).WriteString":      true,
	"(*strings.Builder).WriteByte":        true,
	"(*strings.Builder).Write":            true,
	"(*container/list.List).PushBack":     true,
	"(*container/list.List).PushFront":    true,
	"(*container/list.List).InsertAfter":  true,
	"(*container/list.List).InsertBefore": true,
	"encoding/json.Marshal":               true,
	"encoding/json.Unmarshal":             true,
	"sort.Slice":                          true,
	"sort.SliceStable":                    true,
}

// allocPackages lists std packages whose exported functions all allocate
// (formatting builds new strings and boxes its operands).
var allocPackages = map[string]bool{
	"fmt": true,
}

// finalizerCalls maps the functions that register a root to the kind of
// root and the indexes of their object, function and argument (-1: none).
var finalizerCalls = map[string]finalizerCall{
	"runtime.SetFinalizer": {RootFinalizer, 0, 1, -1},
	"runtime.AddCleanup":   {RootCleanup, 0, 1, 2},
}

// A finalizerCall is how a registering function takes its arguments.
type finalizerCall struct {
	kind            RootKind
	obj, index, arg int
}

// forward returns the registration as a Forward of the call's arguments.
func (c finalizerCall) forward() Forward {
	return Forward{Kind: c.kind, Param: c.index, Obj: c.obj, Arg: c.arg}
}

// Signal registration functions.
const (
	notifyFunc        = "os/signal.Notify"
	notifyContextFunc = "os/signal.NotifyContext"
)

// stdAllocates reports whether the std function named full allocates.
func stdAllocates(pkgPath, full string) bool {
	return allocCalls[full] || allocPackages[pkgPath]
}

// SyscallPackage reports whether path is syscall or golang.org/x/sys/unix,
// whose fd-creating functions fdtable.go lists (vendored copies included).
func SyscallPackage(path string) bool {
	if i := strings.LastIndex(path, "/vendor/"); i >= 0 {
		path = path[i+len("/vendor/"):]
	}
	path = strings.TrimPrefix(path, "vendor/")
	return path == "syscall" || path == "golang.org/x/sys/unix"
}
