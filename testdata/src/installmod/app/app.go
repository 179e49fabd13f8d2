// Package app is an application of another module than the dependency
// example.com/installdep: its first call of each constructor that
// installs a finalizer that can hang is reported, with the dependency's
// path in the witness.
package app

import (
	"example.com/installdep/conn"
	"example.com/installmod/own"
	"example.com/installmod/store"
)

// Use uses the dependency.
func Use() {
	_ = conn.New()   // want `^finalizer \(\*conn\.Conn\)\.finalize \(registered in example\.com/installdep/conn, installed by conn\.New\) takes conn\.mu, which Serve \(conn\.go:21\) holds across receive from conn\.reqs \(conn\.go:23\); .*: conn\.New \(app\.go:15\) → runtime\.SetFinalizer \(conn\.go:32\) → finalizer \(\*conn\.Conn\)\.finalize → conn\.mu\.Lock \(conn\.go:37\) \(lockinfinalizer/lock\)$`
	_ = conn.New()   // the same root again: reported once per package
	_ = conn.Dial()  // want `^finalizer conn\.Dial\.func1 \(registered in example\.com/installdep/conn, installed by conn\.Dial\) can wait without bound; .*: conn\.Dial \(app\.go:17\) → runtime\.SetFinalizer \(conn\.go:49\) → finalizer conn\.Dial\.func1 → send to conn\.closing \(conn\.go:49\) \(lockinfinalizer/blocking\)$`
	_ = conn.Quiet() // every wait of its finalizer is bounded
	_ = conn.Joined()
	_ = store.Open()  // the same module: store reports it
	_ = own.New()     // the same module: reported at its registration
	_ = conn.Pooled() // suppressed at its registration in conn
}
