// Package relockx has exported functions that take mutexes: what they
// take, by path, travels to importers in facts.
package relockx

import "sync"

// Registry has a mutex per instance.
type Registry struct {
	Mu    sync.Mutex
	items map[string]int
}

// Add takes r.Mu.
func (r *Registry) Add(k string) {
	r.Mu.Lock()
	defer r.Mu.Unlock()
	r.items[k]++
}

// Reset takes r.Mu and calls Add, which takes it again.
func (r *Registry) Reset() {
	r.Mu.Lock()
	defer r.Mu.Unlock()
	r.Add("")
}

// ResetOK takes r.Mu once.
func (r *Registry) ResetOK() {
	r.Mu.Lock()
	defer r.Mu.Unlock()
	r.items = nil
}

var global sync.Mutex

// Touch takes the package's mutex.
func Touch() {
	global.Lock()
	global.Unlock()
}

// Lock takes the package's mutex and returns holding it.
func Lock() { global.Lock() }

// Unlock releases the package's mutex.
func Unlock() { global.Unlock() }
