// Package never uses the dependency without calling a function that
// installs a finalizer: nothing to report.
package never

import "installdep/conn"

func serve() { conn.Serve() }
