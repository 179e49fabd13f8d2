// Package never uses the dependency without calling a function that
// installs a finalizer: nothing to report.
package never

import "example.com/installdep/conn"

func serve() { conn.Serve() }
