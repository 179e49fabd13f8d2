// Package helpers registers finalizers and cleanups through the helpers
// of package track, and its own.
package helpers

import (
	"runtime"

	"keepalive/track"
)

type File struct {
	fd   int
	conn *conn
}

type conn struct{ owner *File }

func Generic(fd int) *File {
	f := &File{fd: fd}
	track.Track(f, func(*File) { println(f.fd) }) // want `^finalizer never runs: Generic.func1 captures f, which is obj \(helpers.go:\d+\), registered through track.Track \(keepalive/keepalive\)$`
	return f
}

func Cleanup(fd int) *File {
	f := &File{fd: fd}
	c := &conn{owner: f}
	track.OnRelease(f, func(c *conn) {}, c) // want `cleanup never runs: arg.owner points back to ptr \(helpers.go:\d+\), registered through track.OnRelease`
	return f
}

func Interface(fd int) *File {
	f := &File{fd: fd}
	track.Via(f, func(*File) { println(f.fd) }) // want `finalizer never runs: Interface.func1 captures f, which is obj .*registered through track.Via`
	return f
}

func Method(r *track.Registry, fd int) *File {
	f := &File{fd: fd}
	r.Watch(f, func(*File) { println(f.fd) }) // want `registered through \(\*track.Registry\).Watch`
	return f
}

// local forwards within the package.
func local(f *File, fin func(*File)) { runtime.SetFinalizer(f, fin) }

func Local(fd int) *File {
	f := &File{fd: fd}
	local(f, func(*File) { println(f.fd) }) // want `registered through local`
	return f
}

// Silent: the helper's function does not capture the object.
func Fine(fd int) *File {
	f := &File{fd: fd}
	track.Track(f, func(f *File) { println(f.fd) })
	track.Fixed(f)
	other := &File{}
	track.Track(f, func(*File) { println(other.fd) })
	return f
}

// A constructor of another package makes the reference.
func Holder(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(*track.Holder[File]) {}, track.Hold(f)) // want `cleanup never runs: arg.P points back to ptr \(stored by track.Hold\) \(keepalive/keepalive\)$`
	runtime.AddCleanup(f, func(*string) {}, track.Name(f))
	return f
}
