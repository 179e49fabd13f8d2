// Package register makes, in its init, a Context that waits the gfx
// context of every binary that links it. Which binaries do is not the
// library's to know, so finalock does not take its registration for the
// program's: only a main package's wiring counts.
package register

import "example.com/wholemod/gfx"

type slow struct{ ready chan struct{} }

// Do waits until ready is closed, which nothing does.
func (s slow) Do(f func()) {
	<-s.ready
	f()
}

func init() { gfx.Use(slow{ready: make(chan struct{})}) }
