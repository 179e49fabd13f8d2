// Package app registers shutdown callbacks with hooks' SIGTERM handler:
// the findings are here, where the callbacks are registered.
package app

import "vetmod/hooks"

// Start registers a callback that closes the group, which takes the mutex
// the handler holds while it runs the callbacks, and one that counts.
func Start(g *hooks.Group) {
	g.OnShutdown(func() error { g.Close(); return nil }) // want `signal handler \(\*hooks\.Group\)\.watch takes Group\.mu while it already holds it \(Group\.mu\.Lock \(hooks\.go:\d+\)\)`
	n := 0
	g.OnShutdown(func() error { n++; return nil })
}

// Notify registers a callback that waits for a receiver of events that
// nothing is bound to provide.
func Notify(g *hooks.Group, events chan string) {
	g.OnShutdown(func() error { events <- "stop"; return nil }) // want `signal handler \(\*hooks\.Group\)\.watch can wait without bound; .* → Notify\.func1 \(hooks\.go:\d+, dynamic\) → send to channel \(app\.go:\d+\)`
}
