// Package marker marks descriptors close-on-exec for its importers.
package marker

import "golang.org/x/sys/unix"

// Cloexec marks fd close-on-exec, through a helper.
func Cloexec(fd int) { set(fd) }

func set(fd int) { unix.CloseOnExec(fd) }
