// Package execgroup checks goroutine starts that a callee counts on a
// WaitGroup and that the caller joins later, through another call on
// the same object: the exec rule does not count them.
package execgroup

import (
	"syscall"

	"forkafterthreads/execgroup/lib"
)

var sink []int

func work() error {
	for i := 0; i < 10; i++ {
		sink = append(sink, i)
	}
	return nil
}

func forever() {
	for {
		sink = append(sink, 1)
	}
}

// Waited on every path before the exec: silent.
func waitEveryPath() {
	var g lib.Group
	g.Go(work)
	g.Go(work)
	if err := g.Wait(); err != nil {
		return
	}
}

func execWaitEveryPath() {
	waitEveryPath()
	syscall.Exec("/bin/true", nil, nil)
}

// A straight line: silent.
func waitStraight() {
	g := new(lib.Group)
	g.Go(work)
	g.Wait()
}

func execWaitStraight() {
	waitStraight()
	syscall.Exec("/bin/true", nil, nil)
}

// Waited on some paths only.
func waitSometimes(wait bool) {
	var g lib.Group
	g.Go(work)
	if wait {
		g.Wait()
	}
}

func execWaitSometimes() {
	waitSometimes(true)
	syscall.Exec("/bin/true", nil, nil) // want `started: waitSometimes \(execgroup.go:\d+\) → \(\*lib.Group\).Go \(execgroup.go:\d+\) → go \(\*Group\).Go.func1 \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}

// Waited on another Group.
func waitOther() {
	var g, h lib.Group
	g.Go(work)
	h.Wait()
}

func execWaitOther() {
	waitOther()
	syscall.Exec("/bin/true", nil, nil) // want `started: waitOther \(execgroup.go:\d+\) → \(\*lib.Group\).Go \(execgroup.go:\d+\) → go \(\*Group\).Go.func1 \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}

// Waited before the start.
func waitBefore() {
	var g lib.Group
	g.Wait()
	g.Go(work)
}

func execWaitBefore() {
	waitBefore()
	syscall.Exec("/bin/true", nil, nil) // want `started: waitBefore \(execgroup.go:\d+\) → \(\*lib.Group\).Go \(execgroup.go:\d+\) → go \(\*Group\).Go.func1 \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}

// A call that does not wait.
func errOnly() {
	var g lib.Group
	g.Go(work)
	g.Err()
}

func execErrOnly() {
	errOnly()
	syscall.Exec("/bin/true", nil, nil) // want `started: errOnly \(execgroup.go:\d+\) → \(\*lib.Group\).Go \(execgroup.go:\d+\) → go \(\*Group\).Go.func1 \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}

// A Group made again in a loop: the wait is on the next one.
func waitNext(n int) {
	g := new(lib.Group)
	for i := 0; i < n; i++ {
		g.Wait()
		g = new(lib.Group)
		g.Go(work)
	}
}

func execWaitNext() {
	waitNext(3)
	syscall.Exec("/bin/true", nil, nil) // want `started: waitNext \(execgroup.go:\d+\) → \(\*lib.Group\).Go \(execgroup.go:\d+\) → go \(\*Group\).Go.func1 \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}

// A runner starts its workers in one method and waits for them in
// another, on the Group in its field.
type runner struct {
	g *lib.Group
}

func (r *runner) run() {
	r.g = new(lib.Group)
	r.g.Go(work)
	r.g.Go(work)
}

func (r *runner) wait() error { return r.g.Wait() }

// run then wait on the same runner: silent.
func runThenWait() {
	r := &runner{}
	r.run()
	if err := r.wait(); err != nil {
		return
	}
}

func execRunThenWait() {
	runThenWait()
	syscall.Exec("/bin/true", nil, nil)
}

// run on one runner, wait on another.
func runOtherWait() {
	r, s := &runner{}, &runner{}
	r.run()
	s.wait()
}

func execRunOtherWait() {
	runOtherWait()
	syscall.Exec("/bin/true", nil, nil) // want `started: runOtherWait \(execgroup.go:\d+\) → \(\*runner\).run \(execgroup.go:\d+\) → \(\*lib.Group\).Go \(execgroup.go:\d+\) → go \(\*Group\).Go.func1 \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}

// The Group's goroutine starts another that nobody waits for.
func grandchild() {
	var g lib.Group
	g.Go(func() error {
		go forever()
		return nil
	})
	g.Wait()
}

func execGrandchild() {
	grandchild()
	syscall.Exec("/bin/true", nil, nil) // want `started: .*go forever`
}

// A Limited's goroutines are done when its deferred helper returns:
// silent.
func limitedWait() {
	l := lib.NewLimited(2)
	l.Go(func() { work() })
	l.Go(func() { work() })
	l.Wait()
}

func execLimitedWait() {
	limitedWait()
	syscall.Exec("/bin/true", nil, nil)
}

// A goroutine that calls Done before its work is not joined by Wait.
func doneEarly() {
	l := lib.NewLimited(1)
	l.DoneEarly(func() { work() })
	l.Wait()
}

func execDoneEarly() {
	doneEarly()
	syscall.Exec("/bin/true", nil, nil) // want `started: doneEarly \(execgroup.go:\d+\) → \(\*lib.Limited\).DoneEarly \(execgroup.go:\d+\) → go \(\*Limited\).DoneEarly.func1 \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}
