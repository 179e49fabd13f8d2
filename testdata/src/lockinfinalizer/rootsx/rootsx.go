// Package rootsx registers finalizers and cleanups through helpers of
// another package: the helpers' facts make the call sites here roots.
package rootsx

import (
	"os/exec"
	"time"

	"lockinfinalizer/track"
)

func slow(o *track.Object) { <-o.Done }

func fast(o *track.Object) {}

func slowID(id int) { exec.Command("true").Run() }

// sleepID sleeps: a bounded delay is no wait.
func sleepID(id int) { time.Sleep(time.Duration(id)) }

func fastID(id int) {}

// Item is an object of this package.
type Item struct{ wait chan int }

func (it *Item) finalize() { it.wait <- 1 }

func (it *Item) finalizeOK() { close(it.wait) }

func register(r *track.Registrar) {
	track.Track(&track.Object{}, slow) // want `finalizer slow can wait without bound.*receive from Object.Done`
	track.Track(&track.Object{}, fast)
	track.Track(&track.Object{}, func(o *track.Object) { exec.Command("true").Run() }) // want `finalizer register.func1 can wait`
	track.Track(&track.Object{}, func(o *track.Object) { time.Sleep(time.Second) })

	track.TrackAny(&Item{}, (*Item).finalize) // want `finalizer \(\*Item\).finalize can wait.*send to Item.wait`
	track.TrackAny(&Item{}, (*Item).finalizeOK)
	track.TrackAny(&track.Object{}, slow) // want `finalizer slow can wait`
	track.TrackAny(&track.Object{}, fast)

	track.OnRelease(&track.Object{}, slowID, 1) // want `cleanup slowID can wait.*\(\*exec.Cmd\).Run`
	track.OnRelease(&track.Object{}, fastID, 1)
	track.OnRelease(&track.Object{}, sleepID, 1)

	r.Watch(&track.Object{}, slow) // want `finalizer slow can wait`
	r.Watch(&track.Object{}, fast)
}

// Keep forwards its function to track.Track: its callers' functions are
// finalizers two packages away from runtime.SetFinalizer.
func Keep(o *track.Object, f func(*track.Object)) {
	track.Track(o, f)
}
