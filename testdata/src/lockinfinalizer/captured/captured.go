// Package captured holds closures that act on a parameter of the
// function that makes them (pebble's compaction: if errChannel != nil {
// defer func() { errChannel <- err }() }): the closure's send is a send
// on that parameter, which each caller judges with the channel it
// passes. The twins pass a channel nobody receives from.
package captured

import (
	"context"
	"runtime"
	"runtime/pprof"
)

var unread = make(chan error)

// work reports on done, when it is given one, as it returns.
func work(done chan error) {
	if done != nil {
		defer func() { done <- nil }()
	}
}

// labelled runs work under profiler labels.
func labelled(done chan error) {
	pprof.Do(context.Background(), pprof.Labels("job", "work"), func(context.Context) {
		work(done)
	})
}

func finalize() {
	runtime.SetFinalizer(new(int), func(*int) { work(nil) })
	runtime.SetFinalizer(new(int), func(*int) { work(unread) }) // want `finalizer finalize.func2 can wait without bound.*work \(captured.go:\d+\) → .*send to captured.unread`
	runtime.SetFinalizer(new(int), func(*int) { labelled(nil) })
	runtime.SetFinalizer(new(int), func(*int) { labelled(unread) }) // want `finalizer finalize.func4 can wait without bound.*labelled \(captured.go:\d+\) → .*send to captured.unread`
}
