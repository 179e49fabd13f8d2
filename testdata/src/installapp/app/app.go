// Package app is an application of another module than installdep: its
// first call of each constructor that installs a hazardous finalizer is
// reported, with the dependency's path in the witness.
package app

import (
	"installapp/own"
	"installapp/store"
	"installdep/conn"
)

func use() {
	_ = conn.New()   // want `finalizer \(\*conn\.Conn\)\.finalize \(registered in installdep/conn, installed by conn\.New\) takes conn\.mu, which Serve \(conn\.go:21\) holds across receive from conn\.reqs.*: conn\.New \(app\.go:13\) → runtime\.SetFinalizer \(conn\.go:32\) → finalizer \(\*conn\.Conn\)\.finalize → conn\.mu\.Lock \(conn\.go:37\)`
	_ = conn.New()   // the same root again: reported once per package
	_ = conn.Dial()  // want `finalizer conn\.Dial\.func1 \(registered in installdep/conn, installed by conn\.Dial\) can wait without bound.*: conn\.Dial \(app\.go:15\) → runtime\.SetFinalizer \(conn\.go:49\) → finalizer conn\.Dial\.func1 → send to conn\.closing \(conn\.go:49\)`
	_ = conn.Quiet() // every wait of its finalizer is bounded
	_ = conn.Joined()
	_ = store.Open()  // the same module: store reports it
	_ = own.New()     // the same module: reported at its registration
	_ = conn.Pooled() // suppressed at its registration in conn
}
