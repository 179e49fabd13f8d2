package fixes

import (
	"runtime"
	"syscall"
)

func Finalizer(fd int) *File {
	f := &File{fd: fd}
	runtime.SetFinalizer(f, func(*File) { syscall.Close(f.fd) }) // want `finalizer never runs: Finalizer.func1 captures f, which is obj`
	return f
}

func Blank(fd int) *File {
	f := &File{fd: fd}
	runtime.SetFinalizer(f, func(_ *File) { syscall.Close(f.fd); println(f.name) }) // want `finalizer never runs: Blank.func1 captures f, which is obj`
	return f
}

// No fix: the parameter has a name of its own.
func Named(fd int) *File {
	f := &File{fd: fd}
	runtime.SetFinalizer(f, func(g *File) { syscall.Close(f.fd) }) // want `finalizer never runs`
	return f
}

// No fix: the closure assigns the variable.
func Assigns(fd int) *File {
	f := &File{fd: fd}
	runtime.SetFinalizer(f, func(*File) { f = nil }) // want `finalizer never runs`
	return f
}

// No fix: the parameter's type is another.
func OtherType(fd int) *File {
	f := &File{fd: fd}
	var x any = f
	runtime.SetFinalizer(f, func(any) { println(x, f) }) // want `finalizer never runs`
	return f
}
