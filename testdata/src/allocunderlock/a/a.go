// Package a allocates under its lock in a callee two packages away, and
// under b's lock, which b's cleanup takes.
package a

import (
	"runtime"
	"sync"

	"allocunderlock/b"
)

type Store struct {
	mu  sync.Mutex
	buf []byte
}

func (s *Store) Refill() {
	s.mu.Lock()
	s.buf = b.Fill() // want `b.Fill`
	s.mu.Unlock()
}

func (s *Store) close() {
	s.mu.Lock()
	s.buf = nil
	s.mu.Unlock()
}

type File struct{ s *Store }

func Open(s *Store) *File {
	f := &File{s: s}
	runtime.SetFinalizer(f, func(f *File) { f.s.close() })
	return f
}

var names []string

// Remember allocates under b.Mu, which b's cleanup takes.
func Remember(name string) {
	b.Lock()
	names = append(names, name) // want `append while holding b.Mu`
	b.Mu.Unlock()
}
