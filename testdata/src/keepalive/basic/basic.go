// Package basic registers finalizers and cleanups that keep their object
// reachable.
package basic

import (
	"runtime"
	"syscall"
)

type File struct {
	fd   int
	name string
	conn *conn
}

type conn struct {
	owner *File
	buf   []byte
}

type args struct {
	conn *conn
}

func (f *File) cleanup(int)    { syscall.Close(f.fd) }
func (c *conn) release(*File)  {}
func (f *File) finalize(*File) {}

// A finalizer closure that captures the object.
func Capture(fd int) *File {
	f := &File{fd: fd}
	runtime.SetFinalizer(f, func(*File) { syscall.Close(f.fd) }) // want `^finalizer never runs: Capture.func1 captures f, which is obj \(basic.go:\d+\) \(keepalive/keepalive\)$`
	return f
}

// A cleanup whose argument is the object.
func ArgIsPtr(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(f *File) { syscall.Close(f.fd) }, f) // want `^cleanup never runs: arg is ptr \(keepalive/keepalive\)$`
	return f
}

// The argument holds a connection whose owner points back.
func ArgChain(fd int) *File {
	f := &File{fd: fd}
	c := &conn{owner: f}
	runtime.AddCleanup(f, func(a *args) { _ = a.conn.buf }, &args{conn: c}) // want `^cleanup never runs: arg.conn.owner points back to ptr \(basic.go:46\)`
	return f
}

// A cleanup that is a method value of the object.
func MethodValue(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, f.cleanup, fd) // want `cleanup never runs: method value f.cleanup is bound to ptr \(basic.go:\d+\)`
	return f
}

// A finalizer that is a method value of a value that reaches the object.
func BoundToHolder(fd int) *File {
	f := &File{fd: fd}
	c := &conn{}
	c.owner = f
	runtime.SetFinalizer(f, c.release) // want `finalizer never runs: method value c.release is bound to c, and c.owner points back to obj \(basic.go:62\)`
	return f
}

// A closure that captures a value that holds the object.
func CaptureHolder(fd int) *File {
	f := &File{fd: fd}
	c := &conn{owner: f}
	runtime.AddCleanup(f, func(int) { _ = c.buf }, fd) // want `cleanup never runs: CaptureHolder.func1 captures c, and c.owner points back to ptr \(basic.go:70\)`
	return f
}

// An argument that is a slice holding the object.
func ArgSlice(fd int) *File {
	f := &File{fd: fd}
	all := []*File{f}
	runtime.AddCleanup(f, func(fs []*File) {}, all) // want `cleanup never runs: arg\[…\] points back to ptr`
	return f
}

// An argument that is a map holding the object.
func ArgMap(fd int) *File {
	f := &File{fd: fd}
	m := map[string]*File{}
	m["x"] = f
	runtime.AddCleanup(f, func(map[string]*File) {}, m) // want `cleanup never runs: arg\[…\] points back to ptr`
	return f
}

// An argument that is an interface holding the object.
func ArgInterface(fd int) *File {
	f := &File{fd: fd}
	var x any = f
	runtime.AddCleanup(f, func(any) {}, x) // want `cleanup never runs: arg is ptr`
	return f
}

// An argument that points into the object.
func ArgInterior(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(p *int) { syscall.Close(*p) }, &f.fd) // want `cleanup never runs: arg points into ptr \(its field fd\)`
	return f
}

// A struct value holding the object.
func ArgStructValue(fd int) *File {
	f := &File{fd: fd}
	a := struct{ f *File }{f}
	runtime.AddCleanup(f, func(struct{ f *File }) {}, a) // want `cleanup never runs: arg.f points back to ptr`
	return f
}

// The object as a parameter: a method registering its receiver.
func (f *File) Track() {
	runtime.SetFinalizer(f, func(*File) { println(f.name) }) // want `finalizer never runs: \(\*File\).Track.func1 captures f, which is obj`
}

// A closure held in a variable.
func ClosureVar(fd int) *File {
	f := &File{fd: fd}
	fin := func(*File) { syscall.Close(f.fd) }
	runtime.SetFinalizer(f, fin) // want `finalizer never runs: ClosureVar.func1 captures f, which is obj`
	return f
}

// The object is a field of the captured value.
func FieldObject(c *conn) {
	runtime.SetFinalizer(c.owner, func(*File) { _ = c.buf }) // want `finalizer never runs: FieldObject.func1 captures c, and c.owner points back to obj`
}

// A nested closure captures the object through its parent.
func Nested(fd int) *File {
	f := &File{fd: fd}
	func() {
		runtime.SetFinalizer(f, func(*File) { syscall.Close(f.fd) }) // want `finalizer never runs: Nested.func1.func1 captures f, which is obj`
	}()
	return f
}

// A variable of each iteration.
func PerIteration(n int) {
	for i := range n {
		f := &File{fd: i}
		runtime.SetFinalizer(f, func(*File) { syscall.Close(f.fd) }) // want `finalizer never runs: PerIteration.func1 captures f, which is obj`
	}
}

// A holder made before the loop, whose field each iteration overwrites,
// keeps only the last object: silent.
func Overwritten(n int) {
	c := &conn{}
	for i := range n {
		f := &File{fd: i}
		c.owner = f
		runtime.AddCleanup(f, func(int) { _ = c.buf }, 0)
	}
}

// A cleanup stopped by Close, which a caller may forget: the cleanup that
// should cover that case never runs.
type Handle struct {
	fd      int
	cleanup runtime.Cleanup
}

func NewHandle(fd int) *Handle {
	h := &Handle{fd: fd}
	h.cleanup = runtime.AddCleanup(h, func(int) { syscall.Close(h.fd) }, 0) // want `cleanup never runs: NewHandle.func1 captures h, which is ptr`
	return h
}

func (h *Handle) Close() {
	h.cleanup.Stop()
	syscall.Close(h.fd)
}

// newConn stores its argument into the connection it returns.
func newConn(owner *File) *conn {
	return &conn{owner: owner}
}

// newConnCopy returns a connection that does not hold its argument.
func newConnCopy(owner *File) *conn {
	return &conn{buf: make([]byte, owner.fd)}
}

// A constructor of the package makes the reference.
func Constructor(fd int) *File {
	f := &File{fd: fd}
	runtime.AddCleanup(f, func(c *conn) {}, newConn(f)) // want `cleanup never runs: arg.owner points back to ptr \(stored by newConn, basic.go:\d+\)`
	g := &File{fd: fd}
	runtime.AddCleanup(g, func(c *conn) {}, newConnCopy(g))
	return f
}
