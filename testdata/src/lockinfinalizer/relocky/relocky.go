// Package relocky's signal handlers relock through relockx's functions.
package relocky

import (
	"os"
	"os/signal"
	"syscall"

	"lockinfinalizer/relockx"
)

// The caller holds r.Mu and calls Add, whose fact says it takes its
// receiver's Mu.
func holdAndAdd(r *relockx.Registry) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler holdAndAdd takes Registry.Mu while it already holds it \(Registry.Mu.Lock \(relocky.go:18\)\).*→ \(\*relockx.Registry\).Add \(relocky.go:19\) → Registry.Mu.Lock`
	r.Mu.Lock()
	r.Add("x")
	r.Mu.Unlock()
}

// Two registries: silent.
func holdOther(a, b *relockx.Registry) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	a.Mu.Lock()
	b.Add("x")
	a.Mu.Unlock()
}

// Reset relocks inside relockx: its fact says so.
func reset(r *relockx.Registry) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler reset takes Registry.Mu while it already holds it \(\(\*relockx.Registry\).Reset \(relocky.go:38\) → Registry.Mu.Lock \(relockx.go:22\)\)`
	r.Reset()
}

func resetOK(r *relockx.Registry) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	r.ResetOK()
	r.Add("")
}

// The package-level mutex of relockx, held through its lock helper.
func touch() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler touch takes relockx.global while it already holds it \(relockx.Lock \(relocky.go:54\) → relockx.global.Lock \(relockx.go:\d+\)\)`
	relockx.Lock()
	relockx.Touch()
	relockx.Unlock()
}

func touchOK() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	relockx.Lock()
	relockx.Unlock()
	relockx.Touch()
}
