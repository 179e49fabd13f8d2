// Package viawrap calls the dependency's wrapper: the witness goes
// through the wrapper to conn's registration.
package viawrap

import "installdep/wrap"

func use() {
	_ = wrap.Open() // want `\(registered in installdep/conn, installed by wrap\.Open\) takes conn\.mu.*: wrap\.Open \(viawrap\.go:8\) → open \(wrap\.go:8\) → conn\.New \(wrap\.go:10\) → runtime\.SetFinalizer \(conn\.go:32\)`
}
