// Package cgo frees C memory from finalizers and cleanups.
package cgo

// #include <stdlib.h>
import "C"

import (
	"runtime"
	"unsafe"
)

// Buf holds C memory.
type Buf struct{ p unsafe.Pointer }

// New frees the memory from a finalizer that captures the buffer.
func New(n int) *Buf {
	b := &Buf{p: C.malloc(C.size_t(n))}
	runtime.SetFinalizer(b, func(*Buf) { C.free(b.p) }) // want `finalizer never runs: New.func1 captures b, which is obj`
	return b
}

// NewCleanup passes the C pointer as the cleanup's argument: silent.
func NewCleanup(n int) *Buf {
	b := &Buf{p: C.malloc(C.size_t(n))}
	runtime.AddCleanup(b, func(p unsafe.Pointer) { C.free(p) }, b.p)
	return b
}
