// Package b calls c, and registers a cleanup that takes its own lock.
package b

import (
	"runtime"
	"sync"

	"allocunderlock/c"
)

func Fill() []byte { return c.Buffer() }

// Mu guards the package's cache.
var Mu sync.Mutex

var cache = map[string]int{}

type Entry struct{ key string }

// Track drops the cache entry of e once e is unreachable.
func Track(e *Entry) {
	runtime.AddCleanup(e, forget, e.key)
}

func forget(key string) {
	Mu.Lock()
	delete(cache, key)
	Mu.Unlock()
}

// Lock is a lock helper for callers in other packages.
func Lock() { Mu.Lock() }
