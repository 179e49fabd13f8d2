// Package sigapp calls the dependency's signal set-up: the handler that
// can hang is reported at the call that installs it.
package sigapp

import "installdep/sigs"

func setup() {
	sigs.Handle() // want `^signal handler sigs\.Handle\.func1 \(registered in installdep/sigs, installed by sigs\.Handle\) takes sigs\.mu, which Serve \(sigs\.go:20\) holds across receive from sigs\.reqs \(sigs\.go:22\); while it waits the signals it handles are ignored .*: sigs\.Handle \(sigapp\.go:8\) → signal\.Notify \(sigs\.go:28\) → signal handler sigs\.Handle\.func1 → sigs\.mu\.Lock \(sigs\.go:31\) \(lockinfinalizer/lock\)$`
	sigs.Exit()   // its handler only exits
}
