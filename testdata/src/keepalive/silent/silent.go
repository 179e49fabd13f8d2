// Package silent registers finalizers and cleanups that do not keep
// their object reachable: nothing here is reported.
package silent

import (
	"runtime"
	"syscall"
	"unsafe"
	"weak"
)

type File struct {
	fd   int
	h    handle
	conn *conn
}

type handle struct{ fd int }

type conn struct {
	owner *File
	buf   []byte
}

// The field is copied out before the registration.
func CopiedField(fd int) *File {
	f := &File{fd: fd}
	fd2 := f.fd
	runtime.AddCleanup(f, func(fd int) { syscall.Close(fd) }, fd2)
	return f
}

// The closure captures only other objects.
func OtherObjects(fd int, log *conn) *File {
	f := &File{fd: fd}
	other := &File{fd: fd + 1}
	runtime.SetFinalizer(f, func(f *File) {
		syscall.Close(f.fd)
		_ = log.buf
		_ = other.fd
	})
	return f
}

// The finalizer uses its parameter, and the caller keeps the object
// alive with runtime.KeepAlive.
func KeepAlive(fd int) {
	f := &File{fd: fd}
	runtime.SetFinalizer(f, func(f *File) { syscall.Close(f.fd) })
	syscall.Write(f.fd, nil)
	runtime.KeepAlive(f)
}

// The argument is a copy of the handle.
func HandleCopy(fd int) *File {
	f := &File{fd: fd, h: handle{fd}}
	runtime.AddCleanup(f, func(h handle) { syscall.Close(h.fd) }, f.h)
	return f
}

// A weak pointer in the argument.
func Weak(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(w weak.Pointer[File]) { _ = w.Value() }, weak.Make(f))
	return f
}

type entry struct {
	w  weak.Pointer[File]
	fd int
}

// A weak pointer in a struct in the argument.
func WeakInStruct(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(e *entry) { syscall.Close(e.fd) }, &entry{w: weak.Make(f), fd: fd})
	return f
}

// A connection the object points to, that does not point back.
func ConnArg(fd int) *File {
	f := &File{fd: fd, conn: &conn{}}
	runtime.AddCleanup(f, func(c *conn) { _ = c.buf }, f.conn)
	return f
}

// A method expression, not a method value.
func MethodExpr(fd int) *File {
	f := &File{fd: fd}
	runtime.SetFinalizer(f, (*File).close)
	return f
}

func (f *File) close() { syscall.Close(f.fd) }

// An address turned into a number holds no reference.
func Uintptr(fd int) *File {
	f := &File{fd: fd}
	p := uintptr(unsafe.Pointer(f))
	runtime.AddCleanup(f, func(p uintptr) { _ = p }, p)
	return f
}

// A connection whose owner is another file.
func OtherOwner(fd int) *File {
	f := &File{fd: fd}
	g := &File{fd: fd + 1}
	c := &conn{owner: g}
	runtime.AddCleanup(f, func(c *conn) { _ = c.buf }, c)
	return f
}

// Clearing a finalizer.
func Clear(f *File) {
	runtime.SetFinalizer(f, nil)
}

// A closure that captures the object's file descriptor only.
func CaptureScalar(fd int) *File {
	f := &File{fd: fd}
	n := f.fd
	runtime.SetFinalizer(f, func(*File) { syscall.Close(n) })
	return f
}

// A cleanup stopped at once, and a finalizer cleared at once.
func Undone(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(int) { syscall.Close(f.fd) }, 0).Stop()
	runtime.SetFinalizer(f, func(*File) { syscall.Close(f.fd) })
	runtime.SetFinalizer(f, nil)
	return f
}

// A cleanup kept in a variable and stopped at once.
func UndoneVar(fd int) *File {
	f := &File{fd: fd}
	c := runtime.AddCleanup(f, func(int) { syscall.Close(f.fd) }, 0)
	c.Stop()
	return f
}
