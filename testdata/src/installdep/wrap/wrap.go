// Package wrap is a wrapper of the dependency's own module around
// conn.New: its callers in other modules install conn's finalizer.
package wrap

import "installdep/conn"

// Open opens a connection.
func Open() *conn.Conn { return open() }

func open() *conn.Conn { return conn.New() }
