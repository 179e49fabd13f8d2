// Package semz gives a semx writer a quit channel that only a close
// ends: the writer's receive from it can wait, while Close holds the lock
// a finalizer takes (the twin of semy).
package semz

import (
	"runtime"
	"sync"

	"lockinfinalizer/semx"
)

// Tailer gives the writer its quit channel.
type Tailer struct {
	mu   sync.Mutex
	quit chan struct{}
	w    *semx.Writer
}

// OpenTailer makes the writer.
func OpenTailer() *Tailer {
	t := &Tailer{quit: make(chan struct{})}
	t.w = semx.New(semx.Config{Sem: t.quit})
	return t
}

// Stop ends what waits on quit.
func (t *Tailer) Stop() { close(t.quit) }

// Close closes the writer under the lock.
func (t *Tailer) Close() {
	t.mu.Lock()
	t.w.Close()
	t.mu.Unlock()
}

// Handle owns a Tailer.
type Handle struct {
	t *Tailer
}

func finalize() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer finalize.func1 takes Tailer.mu, which \(\*Tailer\).Close \(semz.go:\d+\) holds across \(\*semx.Writer\).Close .*receive from Writer.sem`
		h.t.mu.Lock()
		h.t.mu.Unlock()
	})
}
