// Package store wraps conn.New in the application's module: the call of
// conn.New here is reported, not the calls of Open in the module.
package store

import "installdep/conn"

// Open opens the store.
func Open() *conn.Conn {
	return conn.New() // want `finalizer \(\*conn\.Conn\)\.finalize \(registered in installdep/conn, installed by conn\.New\) takes conn\.mu`
}
