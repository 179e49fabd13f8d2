// Package xdupuse calls the wrappers of xdup from another package: it
// gets the answers xdup's own callers get.
package xdupuse

import (
	"forkafterthreads/xdup"

	"golang.org/x/sys/unix"
)

func use() {
	xdup.OpenDup("/etc/passwd", unix.O_RDONLY)                // want `^unix.Open through xdup.OpenDup without unix.O_CLOEXEC: .*: xdup.OpenDup \(xdupuse.go:12\) → unix.Open \(xdup.go:13\) \(forkafterthreads/fdleak\)$`
	xdup.OpenDup("/etc/passwd", unix.O_RDONLY|unix.O_CLOEXEC) // silent
	xdup.OpenSetfd("/etc/passwd", unix.O_RDONLY)              // silent: marked
	xdup.OpenHelper("/etc/passwd", unix.O_RDONLY)             // silent: marked
	xdup.OpenMarksOther("/etc/passwd", unix.O_RDONLY, 3)      // want `^unix.Open through xdup.OpenMarksOther without unix.O_CLOEXEC`
	xdup.Openat2(unix.AT_FDCWD, "/etc", unix.O_PATH)          // want `^unix.Openat2 through xdup.Openat2 without unix.O_CLOEXEC: .*: xdup.Openat2 \(xdupuse.go:17\) → unix.Openat2 \(xdup.go:51\) \(forkafterthreads/fdleak\)$`
	xdup.Openat2(unix.AT_FDCWD, "/etc", unix.O_PATH|unix.O_CLOEXEC)
	xdup.Openat2Cloexec(unix.AT_FDCWD, "/etc", unix.O_PATH)
}
