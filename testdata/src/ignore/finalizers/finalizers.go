// Package finalizers exercises //finalock:ignore with the rules of
// lockinfinalizer.
package finalizers

import (
	"runtime"
	"sync"
)

// T has a finalizer that sends on an unbuffered channel.
type T struct{ q chan int }

func (t *T) finalize() { t.q <- 1 }

// SameLine is suppressed by a directive at the end of the reported line.
func SameLine() *T {
	t := &T{q: make(chan int)}
	runtime.SetFinalizer(t, (*T).finalize) //finalock:ignore blocking the receiver drains q until exit
	return t
}

// LineAbove is suppressed by a directive on the line above; of the two
// rules it names, the one that suppresses nothing is reported.
func LineAbove() *T {
	t := &T{q: make(chan int)}
	//finalock:ignore blocking,lock the receiver drains q until exit // want `//finalock:ignore lock suppresses nothing here: remove it`
	runtime.SetFinalizer(t, (*T).finalize)
	return t
}

// WholeFunction is suppressed by a directive in its doc comment.
//
//finalock:ignore blocking every finalizer here is drained by a dedicated goroutine
func WholeFunction() (*T, *T) {
	t, u := &T{q: make(chan int)}, &T{q: make(chan int)}
	runtime.SetFinalizer(t, (*T).finalize)
	runtime.SetFinalizer(u, func(u *T) { u.q <- 2 })
	return t, u
}

// NoReason is not suppressed: a directive needs a reason.
func NoReason() *T {
	t := &T{q: make(chan int)}
	// want +1 `//finalock:ignore needs a rule and a reason`
	//finalock:ignore blocking
	runtime.SetFinalizer(t, (*T).finalize) // want `finalizer \(\*T\)\.finalize can wait without bound`
	return t
}

// OtherRule is not suppressed: the directive names another rule, which
// the line does not report.
func OtherRule() *T {
	t := &T{q: make(chan int)}
	runtime.SetFinalizer(t, (*T).finalize) //finalock:ignore lock not this one // want `finalizer \(\*T\)\.finalize can wait without bound` `//finalock:ignore lock suppresses nothing here: remove it`
	return t
}

// Stale holds a directive that suppresses nothing.
func Stale() {
	//finalock:ignore cycle left over from an old version // want `//finalock:ignore cycle suppresses nothing here: remove it`
	_ = 1
}

// Unknown names a rule that does not exist.
func Unknown() {
	//finalock:ignore nosuchrule because // want `//finalock:ignore names "nosuchrule", which is not a finalock rule`
	_ = 1
}

// ForeignRule names a rule of another pass: lockinfinalizer leaves it
// alone.
func ForeignRule() {
	//finalock:ignore fdleak the other pass judges this one
	_ = 1
}

var (
	mu   sync.Mutex
	work = make(chan int)
)

// Hold holds mu across a send.
func Hold() {
	mu.Lock()
	work <- 1
	mu.Unlock()
}

// L has a finalizer that takes mu.
type L struct{}

func (l *L) finalize() {
	mu.Lock() //finalock:ignore lock Hold never waits long // want `^//finalock:ignore lock suppresses nothing here: the lock finding that passes through this line is reported at finalizers.go:100; put the directive there \(lockinfinalizer/ignore\)$`
	mu.Unlock()
}

// NewL's finalizer is reported where it is registered, not at the lock.
func NewL() *L {
	l := &L{}
	runtime.SetFinalizer(l, (*L).finalize) // want `finalizer \(\*L\)\.finalize takes finalizers\.mu`
	return l
}
