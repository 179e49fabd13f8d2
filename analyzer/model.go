package analyzer

import (
	"fmt"
	"sync/atomic"
)

// A Model says how the Go runtime the code is built for runs finalizers.
type Model string

// The finalization models.
const (
	// Goroutine is the gc and gccgo runtime: finalizers and cleanups run
	// on their own goroutines, never inside an allocation. The default.
	Goroutine Model = "goroutine"
	// Inline is a runtime whose collector may run a finalizer inside any
	// allocation of any goroutine (BDWGC-based Go such as llgo).
	Inline Model = "inline"
)

var model atomic.Value // Model

// Finalizers returns the suite-wide finalization model.
func Finalizers() Model {
	if m, ok := model.Load().(Model); ok {
		return m
	}
	return Goroutine
}

// SetFinalizers sets the suite-wide finalization model from its name.
func SetFinalizers(name string) error {
	switch m := Model(name); m {
	case Goroutine, Inline:
		model.Store(m)
		return nil
	}
	return fmt.Errorf("finalizers=%q: want %q or %q", name, Goroutine, Inline)
}

// FinalizersFlag is the flag.Value of the suite-wide -finalizers flag.
type FinalizersFlag struct{}

func (FinalizersFlag) String() string { return string(Finalizers()) }

// Set implements flag.Value.
func (FinalizersFlag) Set(s string) error { return SetFinalizers(s) }

// FinalizersUsage is the help text of the -finalizers flag.
const FinalizersUsage = "how the target runtime runs finalizers: goroutine (gc, gccgo: on their own goroutine) or inline (BDWGC-based runtimes such as llgo: inside any allocation)"
