// Package fixes has cleanups whose closure uses ptr only for a field:
// the fix passes that field as the argument.
package fixes

import (
	"os"
	"runtime"
	"syscall"
)

type File struct {
	fd   int
	name string
	f    *os.File
	mu   mutex
}

type mutex struct{ n int }

func (m *mutex) lock() { m.n++ }

func One(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(int) { syscall.Close(f.fd) }, 0) // want `cleanup never runs: One.func1 captures f, which is ptr`
	return f
}

func Twice(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(struct{}) { // want `cleanup never runs: Twice.func1 captures f, which is ptr`
		if f.fd >= 0 {
			syscall.Close(f.fd)
		}
	}, struct{}{})
	return f
}

func OtherPackage(file *os.File) *File {
	h := &File{f: file}
	runtime.AddCleanup(h, func(_ int) { h.f.Close() }, 0) // want `cleanup never runs: OtherPackage.func1 captures h, which is ptr`
	return h
}

// No fix: two fields.
func TwoFields(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(int) { println(f.name); syscall.Close(f.fd) }, 0) // want `cleanup never runs`
	return f
}

// No fix: the field is assigned.
func Assigned(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(int) { f.fd = -1 }, 0) // want `cleanup never runs`
	return f
}

// No fix: a pointer method on a field held by value.
func PointerMethod() *File {
	f := &File{}
	runtime.AddCleanup(f, func(int) { f.mu.lock() }, 0) // want `cleanup never runs`
	return f
}

// No fix: the parameter is used.
func ParamUsed(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(n int) { syscall.Close(f.fd + n) }, 0) // want `cleanup never runs`
	return f
}

// No fix: the object itself is used.
func WholeObject() *File {
	f := &File{}
	runtime.AddCleanup(f, func(int) { println(f) }, 0) // want `cleanup never runs`
	return f
}

// No fix: the closure captures another pointer too.
func OtherCapture(fd int, log *File) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(int) { println(log.name); syscall.Close(f.fd) }, 0) // want `cleanup never runs`
	return f
}

// A fix: the other captured variable is a number.
func NumberCapture(fd, n int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(int) { syscall.Close(f.fd + n) }, 0) // want `cleanup never runs`
	return f
}
