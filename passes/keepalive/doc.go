// Package keepalive defines an Analyzer that reports finalizers and
// cleanups that can never run, because the function or its argument keeps
// the object reachable.
//
// # Analyzer keepalive
//
// keepalive: report finalizers and cleanups that can never run because they keep their object reachable
//
// The runtime holds a finalizer's function, and a cleanup's function and
// argument, until the object is unreachable. If they refer to the object
// themselves, it never is: the finalizer or cleanup never runs, and the
// file, socket, C handle or cache entry it should release leaks, along
// with the object (runtime/mcleanup.go: "If ptr is reachable from cleanup
// or arg, ptr will never be collected and the cleanup will never run";
// runtime/mfinal.go). AddCleanup checks only that arg is not ptr itself,
// and only at run time; GODEBUG=checkfinalizers=1 checks the rest at run
// time too.
//
// Reported, at the registration (rule keepalive):
//
//   - runtime.SetFinalizer(obj, f) where f is a closure that captures obj,
//     or a value from which obj is reachable, or a method value bound to
//     such a value;
//   - runtime.AddCleanup(ptr, f, arg) where arg is ptr, holds it (in a
//     struct field, a slice, array or map element, an interface, a
//     closure) or points into it, or f captures or is bound to such a
//     value;
//   - the same through a helper that passes the object and the function
//     on to SetFinalizer or AddCleanup, in this package or another.
//
// A reference counts only when the code makes it: a value the package
// stores into a variable, a field or an element, or that a closure
// captures, followed through conversions and φ-nodes, and into a
// function that stores its argument into what it returns (one call deep;
// another package's through its summary).
// What other called functions might store is not followed, and neither is
// what a type would allow. A weak.Pointer, a uintptr and a copied scalar
// or struct hold no reference.
//
// The message names the reference: "cleanup never runs:
// arg.conn.owner points back to ptr (client.go:41)". A cleanup whose
// closure uses ptr only to read one field gets a fix: the field becomes
// the cleanup's argument, read when the cleanup is registered. A
// finalizer whose closure ignores its parameter and reads the captured
// object gets one too: the parameter takes the variable's name.
//
// Example:
//
//	f := &File{fd: fd}
//	runtime.AddCleanup(f, func(int) { syscall.Close(f.fd) }, 0)
//	// cleanup never runs: Open.func1 captures f, which is ptr
//
// The fix:
//
//	runtime.AddCleanup(f, func(fd int) { syscall.Close(fd) }, f.fd)
package keepalive
