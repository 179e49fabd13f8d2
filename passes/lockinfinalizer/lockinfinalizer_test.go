package lockinfinalizer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/finalock/finalock/analyzer"
	"github.com/finalock/finalock/passes/lockinfinalizer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// testdata returns the repository's GOPATH-style test tree. GOPATH
// entries must be absolute.
func testdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRoots(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/roots")
}

func TestRootsCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/rootsx", "lockinfinalizer/rootsy")
}

func TestSignals(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/signals")
}

func TestBlocking(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/blocking")
}

func TestLocks(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/locks")
}

func TestCycle(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/cycle")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/xa", "lockinfinalizer/xb", "lockinfinalizer/xc")
}

// setFinalizers switches the suite-wide finalization model for one test.
func setFinalizers(t *testing.T, model string) {
	t.Helper()
	if err := analyzer.SetFinalizers(model); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := analyzer.SetFinalizers(string(analyzer.Goroutine)); err != nil {
			t.Error(err)
		}
	})
}

func TestInline(t *testing.T) {
	setFinalizers(t, string(analyzer.Inline))
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/inline")
}

// unmet records analysistest's complaints, to check a package against
// expectations written for another model.
type unmet struct{ errs []string }

func (u *unmet) Errorf(format string, args ...any) {
	u.errs = append(u.errs, fmt.Sprintf(format, args...))
}

// TestInlineUnderGoroutine runs the package of TestInline under the gc
// model: it must report nothing, so the only complaints are the unmet
// "want" expectations of the inline model.
func TestInlineUnderGoroutine(t *testing.T) {
	setFinalizers(t, string(analyzer.Goroutine))
	u := new(unmet)
	results := analysistest.Run(u, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/inline")
	if len(results) != 1 {
		t.Fatalf("got %d results, want 1", len(results))
	}
	for _, d := range results[0].Diagnostics {
		t.Errorf("unexpected diagnostic under finalizers=goroutine: %s", d.Message)
	}
	for _, e := range u.errs {
		if !strings.Contains(e, "no diagnostic was reported matching") {
			t.Error(e)
		}
	}
	if len(u.errs) == 0 {
		t.Error("the inline expectations were all met under finalizers=goroutine")
	}
}

// TestSignalsInline checks that the model changes nothing for signal
// handlers: the expectations of TestSignals hold under inline too.
func TestSignalsInline(t *testing.T) {
	setFinalizers(t, string(analyzer.Inline))
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/signals")
}

func TestRobust(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/robust")
}

// hugeFunc returns the source of a function named name with about n
// statements of varied shapes, taking and releasing hugeMu, then
// registering a finalizer that blocks.
func hugeFunc(name string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "func %s(o *Obj, xs []int) int {\n\tsum := 0\n", name)
	for i := 0; i < n; {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "\thugeMu.Lock()\n\tsum += %d\n\thugeMu.Unlock()\n", i)
			i += 3
		case 1:
			fmt.Fprintf(&b, "\tif len(xs) > %d {\n\t\tsum -= xs[%d]\n\t}\n", i, i)
			i += 2
		case 2:
			fmt.Fprintf(&b, "\tfor _, x := range xs {\n\t\tsum += x * %d\n\t}\n", i)
			i += 2
		default:
			fmt.Fprintf(&b, "\tselect {\n\tcase v := <-o.ch:\n\t\tsum += v\n\tdefault:\n\t}\n")
			i += 2
		}
	}
	fmt.Fprintf(&b, "\truntime.SetFinalizer(o, func(o *Obj) { <-o.ch }) // want `finalizer %s.func1 can wait without bound`\n", name)
	b.WriteString("\treturn sum\n}\n")
	return b.String()
}

// TestHugeFunction analyses a generated function of 5000 statements.
func TestHugeFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyses a large package")
	}
	src := `// Package huge has a very long function.
package huge

import (
	"runtime"
	"sync"
)

var hugeMu sync.Mutex

type Obj struct{ ch chan int }

` + hugeFunc("huge", 5000)
	analysistest.Run(t, writePackage(t, "huge", src), lockinfinalizer.Analyzer, "huge")
}

// writePackage writes src as the only file of package pkg in a new
// GOPATH-style tree and returns the tree's root.
func writePackage(t *testing.T, pkg, src string) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "src", pkg, pkg+".go")
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOversizedFunction gives the engine a finalizer too large to analyse
// (over its limit of SSA instructions): it is skipped, with no report and
// no failure, in bounded time.
func TestOversizedFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyses a large package")
	}
	var b strings.Builder
	b.WriteString(`// Package oversized has a finalizer of some 70000 SSA instructions.
package oversized

import (
	"runtime"
	"sync"
)

var mu sync.Mutex

type Obj struct{ ch chan int }

func register() { runtime.SetFinalizer(&Obj{}, finalize) }

func finalize(o *Obj) {
	<-o.ch
`)
	for i := 0; i < 35000; i++ {
		b.WriteString("\tmu.Lock()\n\tmu.Unlock()\n")
	}
	b.WriteString("}\n")
	results := analysistest.Run(t, writePackage(t, "oversized", b.String()), lockinfinalizer.Analyzer, "oversized")
	for _, r := range results {
		for _, d := range r.Diagnostics {
			t.Errorf("unexpected diagnostic: %s", d.Message)
		}
	}
}

func TestFuture(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/future")
}

func TestShutdown(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/shutdown")
}

func TestJoin(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/join")
}

func TestToken(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/token")
}

// TestTokenInline checks that a token is not a mutex for the inline-only
// rule: the expectations of TestToken hold under inline too.
func TestTokenInline(t *testing.T) {
	setFinalizers(t, string(analyzer.Inline))
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/token")
}

// TestDoneChan checks one-slot channels that receive one value in their
// life: a request's reply channel, a send guarded by a flag, a token taken
// by a send.
func TestDoneChan(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/donechan")
}

// TestProgress checks the progress model: what ends a wait decides
// whether it is reported.
func TestProgress(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/progress")
}

// TestRelated checks that a root with several contended locks is one
// finding whose related information names each other lock, where it is
// held and across what.
func TestRelated(t *testing.T) {
	results := analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/future")
	found := false
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if !strings.HasPrefix(d.Message, "signal handler trap.func1 takes future.leakMu") {
				continue
			}
			found = true
			// chainMu is held across a join of a goroutine that takes
			// heldMu, which serve holds across a receive: two sections.
			if len(d.Related) != 2 {
				t.Fatalf("%d pieces of related information, want 2: %+v", len(d.Related), d.Related)
			}
			for i, wants := range [][]string{
				{"takes future.chainMu;", "chainReload (future.go:", "waiting for go chainListen.func1", "future.heldMu.Lock"},
				{"future.heldMu: serve (future.go:", "holds it across receive from future.jobs"},
			} {
				rel := d.Related[i]
				for _, want := range wants {
					if !strings.Contains(rel.Message, want) {
						t.Errorf("related information %q does not say %q", rel.Message, want)
					}
				}
				if !rel.Pos.IsValid() {
					t.Errorf("related information without a position: %q", rel.Message)
				}
			}
		}
	}
	if !found {
		t.Fatal("no finding for trap.func1")
	}
}

// TestServers checks the shutdown shapes of real servers and their twins.
func TestServers(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/servers")
}

// TestSpawnCrossPackage checks goroutines started through a spawner of
// another package: the spawner's fact says which parameters it runs on a
// new goroutine, and its caller counts them as goroutines it started.
func TestSpawnCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/spawnx", "lockinfinalizer/spawny", "lockinfinalizer/spawnz")
}

// TestRoomPaths checks that a channel's sends are counted per path: sends
// at several places that no path runs two of find room in a buffer of one.
func TestRoomPaths(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/roompaths")
}

// TestNilGuard checks that a wait made only when a parameter is not nil
// is not reached through a call that passes nil there.
func TestNilGuard(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/nilguard")
}

// TestWaiters checks that a semaphore's Acquire that waits on a channel
// it put in the semaphore's list of waiters is taking a lock, and that a
// channel handed to another goroutine's loop is still a wait.
func TestWaiters(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/waiters")
}

// TestContextCancel checks that calling a context's cancel function
// closes its Done channel: a goroutine that cancels as it returns is
// joined by a receive from Done, and workers selecting on Done stop.
func TestContextCancel(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/ctxcancel")
}

// TestCompensate checks that a Done undoing an Add of the same function
// (the goroutine it counts did not start) is no partner of a Wait.
func TestCompensate(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/compensate")
}

// TestFlagPair checks that a WaitGroup.Done under a flag that the package
// sets only with an Add, and clears only after the Done, counts as
// performed for sure.
func TestFlagPair(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/flagpair")
}

// TestSelectCase checks that a receive in a select case that every path
// to the goroutine's return takes is a sure partner.
func TestSelectCase(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/selectcase")
}

// TestPopped checks that a send on the done channel of a request that
// leaves a queue before the send finds room.
func TestPopped(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/popped")
}

// TestCaptured checks that a closure's operation on a parameter of the
// function that makes it is judged with what each caller passes.
func TestCaptured(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/captured")
}

// TestDeferClose checks that a deferred closure that closes a channel and
// then unlocks closes it as the function returns.
func TestDeferClose(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/deferclose")
}

// TestPooled checks that a pooled object's channel, drained before every
// Put, has room for the value of its trip out of the pool.
func TestPooled(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/pooled")
}

// TestCondFeed checks that a joiner that signals a Cond before the join
// ends the Cond.Wait of the goroutine it joins.
func TestCondFeed(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/condfeed")
}

// TestRelock checks roots that take a mutex they already hold on the same
// path, directly or through calls, and the twins that release it first,
// take another instance of the class, or lock once.
func TestRelock(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/relock")
}

// TestRelockCrossPackage checks relocks through the functions of another
// package: their facts say which mutexes they take, by path from their
// parameters, and which they take again themselves.
func TestRelockCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/relockx", "lockinfinalizer/relocky")
}

// TestIndirectRoots checks roots installed through func-typed fields and
// variables that the package assigns signal.Notify, NotifyContext,
// SetFinalizer or AddCleanup, and twins assigned other functions or
// never receiving a signal.
func TestIndirectRoots(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/indirect")
}

// TestOffer checks that a receive after a callee offered the channel a
// value (a select with a default case) on every path on which it reports
// success finds that value in the buffer.
func TestOffer(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/offer")
}

// TestNilPaired checks that a Done undoing an Add under the same test of
// a variable against nil is no partner of a Wait, and that one under a
// test of another variable is.
func TestNilPaired(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/nilpaired")
}

// TestSemaphoreUnits checks that a library's receive from a channel its
// caller configured gives back a unit of the caller's counting semaphore
// (facts link the field to the configuration's), and that the same
// receive from a quit channel is a wait.
func TestSemaphoreUnits(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/semx", "lockinfinalizer/semy", "lockinfinalizer/semz")
}

// TestCondJoin checks that a caller holding a Cond's lock does not hold
// it across what the goroutine joined by the Cond.Wait does: the wait
// releases it.
func TestCondJoin(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/condjoin")
}

// TestRunFuture checks that a future whose goroutine runs a function its
// caller gives is still a goroutine that sends its result on every path.
func TestRunFuture(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/runfuture")
}

// TestCallbacks runs the callbacks that cbapp stores into the fields of
// cblib as part of cblib's SIGTERM handler, through callback facts.
func TestCallbacks(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/cblib", "lockinfinalizer/cbapp")
}

// TestTimedClient checks that a library's request with the http.Client
// its caller keeps in its field is bounded when the caller only puts
// clients with a Timeout there.
func TestTimedClient(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/timedx", "lockinfinalizer/timedy", "lockinfinalizer/timedz")
}

// TestCallbackVars runs the callbacks that cbvarapp stores into the
// package-level variables of cbvarlib, by assignment and through a
// registering function, as part of cbvarlib's SIGTERM handler.
func TestCallbackVars(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "lockinfinalizer/cbvarlib", "lockinfinalizer/cbvarapp")
}

// TestInstalled: a root of another module (installdep) is reported in
// the application (installapp) at the first call that installs it, with
// the dependency's path in the witness; not at calls within the
// application's module, nor where its finalizer's waits are bounded.
func TestInstalled(t *testing.T) {
	analysistest.Run(t, testdata(t), lockinfinalizer.Analyzer, "installdep/...", "installapp/...")
}
