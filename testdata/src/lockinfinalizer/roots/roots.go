// Package roots registers finalizers and cleanups in every form finalock
// recognises. Each hazardous root blocks; its twin does not.
package roots

import (
	"os/exec"
	"runtime"
	"time"
)

// T is an object with a finalizer or a cleanup.
type T struct {
	done chan struct{}
	id   int
}

func (t *T) finalize() { <-t.done }

func (t *T) finalizeOK() {
	select {
	case <-t.done:
	default:
	}
}

// finalizeT waits for a child process; a bounded sleep is no wait.
func finalizeT(t *T) { exec.Command("true").Run() }

func sleepT(t *T) { time.Sleep(time.Second) }

func finalizeTOK(t *T) { t.id = 0 }

func releaseID(id int) { exec.Command("true").Run() }

func sleepID(id int) { time.Sleep(time.Duration(id)) }

func releaseIDOK(id int) { _ = id }

// Registry forgets objects when they are finalized.
type Registry struct {
	wait chan int
}

func (r *Registry) forget(t *T) { r.wait <- t.id }

func (r *Registry) forgetOK(t *T) {
	select {
	case r.wait <- t.id:
	default:
	}
}

func (r *Registry) release(id int) { r.wait <- id }

func (r *Registry) releaseOK(id int) {
	select {
	case r.wait <- id:
	default:
	}
}

func funcLiteral() {
	t := &T{done: make(chan struct{})}
	runtime.SetFinalizer(t, func(t *T) { <-t.done }) // want `finalizer funcLiteral.func1 can wait without bound`
	u := &T{done: make(chan struct{})}
	runtime.SetFinalizer(u, func(t *T) {})
	c := make(chan int)
	runtime.AddCleanup(t, func(id int) { c <- id }, 1) // want `cleanup funcLiteral.func3 can wait without bound`
	runtime.AddCleanup(u, func(id int) { _ = id }, 1)
}

func namedFunc() {
	t := &T{}
	runtime.SetFinalizer(t, finalizeT) // want `finalizer finalizeT can wait without bound.*\(\*exec.Cmd\).Run`
	runtime.SetFinalizer(t, sleepT)
	runtime.SetFinalizer(&T{}, finalizeTOK)
	runtime.AddCleanup(t, releaseID, 1) // want `cleanup releaseID can wait without bound.*\(\*exec.Cmd\).Run`
	runtime.AddCleanup(t, sleepID, 1)
	runtime.AddCleanup(t, releaseIDOK, 1)
}

func methodExpr() {
	runtime.SetFinalizer(&T{}, (*T).finalize) // want `finalizer \(\*T\).finalize can wait without bound.*receive from T.done`
	runtime.SetFinalizer(&T{}, (*T).finalizeOK)
	runtime.AddCleanup(&T{}, (*T).finalize, &T{}) // want `cleanup \(\*T\).finalize can wait without bound`
	runtime.AddCleanup(&T{}, (*T).finalizeOK, &T{})
}

func methodValue(r *Registry) {
	runtime.SetFinalizer(&T{}, r.forget) // want `finalizer \(\*Registry\).forget can wait without bound.*send to Registry.wait`
	runtime.SetFinalizer(&T{}, r.forgetOK)
	runtime.AddCleanup(&T{}, r.release, 2) // want `cleanup \(\*Registry\).release can wait without bound`
	runtime.AddCleanup(&T{}, r.releaseOK, 2)
}

func localVar(slow bool) {
	f := finalizeT
	runtime.SetFinalizer(&T{}, f) // want `finalizer finalizeT can wait`
	g := finalizeTOK
	runtime.SetFinalizer(&T{}, g)

	var h func(*T)
	if slow {
		h = finalizeT
	} else {
		h = (*T).finalize
	}
	runtime.SetFinalizer(&T{}, h) // want `finalizer \(\*T\).finalize can wait` `finalizer finalizeT can wait`
	var k func(*T)
	if slow {
		k = finalizeTOK
	} else {
		k = (*T).finalizeOK
	}
	runtime.SetFinalizer(&T{}, k)

	cl := releaseID
	runtime.AddCleanup(&T{}, cl, 3) // want `cleanup releaseID can wait`
	clOK := releaseIDOK
	runtime.AddCleanup(&T{}, clOK, 3)
}

// track forwards its parameter to SetFinalizer: what callers pass is a root.
func track(p *T, f func(*T)) { runtime.SetFinalizer(p, f) }

// trackID forwards its parameter to AddCleanup.
func trackID(p *T, f func(int)) { runtime.AddCleanup(p, f, p.id) }

func forwarded() {
	track(&T{}, finalizeT) // want `finalizer finalizeT can wait`
	track(&T{}, finalizeTOK)
	track(&T{}, func(t *T) { <-t.done }) // want `finalizer forwarded.func1 can wait`
	track(&T{}, func(t *T) {})
	trackID(&T{}, releaseID) // want `cleanup releaseID can wait`
	trackID(&T{}, releaseIDOK)
}

// trackG is a generic forwarding helper.
func trackG[P any](p *P, f func(*P)) { runtime.SetFinalizer(p, f) }

// cleanupG is a generic forwarding helper for cleanups.
func cleanupG[P, A any](p *P, f func(A), arg A) { runtime.AddCleanup(p, f, arg) }

func forwardedGeneric() {
	trackG(&T{}, finalizeT) // want `finalizer finalizeT can wait`
	trackG(&T{}, finalizeTOK)
	trackG(&T{}, (*T).finalize) // want `finalizer \(\*T\).finalize can wait`
	trackG(&T{}, (*T).finalizeOK)
	cleanupG(&T{}, releaseID, 4) // want `cleanup releaseID can wait`
	cleanupG(&T{}, releaseIDOK, 4)
}

// trackTwice forwards through two helpers.
func trackTwice(p *T, f func(*T)) { track(p, f) }

func forwardedTwice() {
	trackTwice(&T{}, finalizeT) // want `finalizer finalizeT can wait`
	trackTwice(&T{}, finalizeTOK)
}

// setFinalizer holds runtime.SetFinalizer itself.
var setFinalizer = runtime.SetFinalizer

func viaGlobal() {
	setFinalizer(&T{}, finalizeT) // want `finalizer finalizeT can wait`
	setFinalizer(&T{}, finalizeTOK)
}

// env holds the runtime functions the package uses, for tests to replace.
type env struct {
	setFinalizer func(obj, finalizer any)
}

func viaField(e *env) {
	e.setFinalizer = runtime.SetFinalizer
	e.setFinalizer(&T{}, finalizeT) // want `finalizer finalizeT can wait`
	e.setFinalizer(&T{}, finalizeTOK)
}

// addCleanup holds an instance of runtime.AddCleanup.
var addCleanup = runtime.AddCleanup[T, int]

func viaGlobalCleanup() {
	addCleanup(&T{}, releaseID, 5) // want `cleanup releaseID can wait`
	addCleanup(&T{}, releaseIDOK, 5)
}

// cleanupEnv holds the runtime's AddCleanup for tests to replace.
type cleanupEnv struct {
	addCleanup func(*T, func(int), int) runtime.Cleanup
}

func viaFieldCleanup(e *cleanupEnv) {
	e.addCleanup = runtime.AddCleanup[T, int]
	e.addCleanup(&T{}, releaseID, 6) // want `cleanup releaseID can wait`
	e.addCleanup(&T{}, releaseIDOK, 6)
}
