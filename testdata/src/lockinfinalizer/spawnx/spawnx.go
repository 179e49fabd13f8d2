// Package spawnx runs functions its callers give it on goroutines of its
// own, or on theirs.
package spawnx

import "runtime"

// Go runs setupfn, then fn, on a new goroutine wired to its thread
// (docker's unshare.Go): it returns once setupfn has.
func Go(flags int, setupfn func() error, fn func()) error {
	started := make(chan error)
	go func() {
		runtime.LockOSThread()
		if flags < 0 {
			started <- nil
			return
		}
		if setupfn != nil {
			if err := setupfn(); err != nil {
				started <- err
				return
			}
		}
		close(started)
		if fn != nil {
			fn()
		}
	}()
	return <-started
}

// Start runs fn on a new goroutine, through Go.
func Start(fn func()) error { return Go(0, nil, fn) }

// Run runs setupfn, then fn, on the caller's goroutine.
func Run(setupfn func() error, fn func()) error {
	if err := setupfn(); err != nil {
		return err
	}
	fn()
	return nil
}
