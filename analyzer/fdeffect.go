package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
)

// An FdKind is what a call does to file descriptors.
type FdKind uint8

const (
	FdNone   FdKind = iota // nothing finalock tracks
	FdCreate               // creates descriptors, close-on-exec as its flags say
	FdMark                 // marks a descriptor close-on-exec
)

// An FdEffect is what one call of syscall or x/sys/unix does to file
// descriptors.
type FdEffect struct {
	Kind FdKind
	// Creator, for FdCreate, gives the flags and where the descriptors
	// go, with indexes into the call's own arguments (the trap number of
	// a raw system call counted).
	Creator FdCreator
	// What qualifies the call in words: "(SYS_OPENAT)" for a raw system
	// call, "(F_DUPFD)" for fcntl; "" otherwise.
	What string
	// Arg, for FdMark, is the argument holding the descriptor marked.
	Arg int
}

// FdArgs is what a caller knows of the arguments of one call: the
// engine reads them from SSA values with its one flag evaluator
// (fdflags.go).
type FdArgs interface {
	// Len is the number of arguments.
	Len() int
	// Const returns the constant value of argument i, or nil.
	Const(i int) constant.Value
	// Has reports whether argument i certainly has every bit of bit.
	Has(i int, bit constant.Value) bool
}

// FdEffectOf says what a call of fn with the arguments args does to file
// descriptors: the one definition that the engine's summaries and the
// creations it hands forkafterthreads (fdcreations.go) share. F_DUPFD_CLOEXEC creates a descriptor that
// is close-on-exec, so it is neither a creation to check nor a mark of
// the descriptor it duplicates.
func FdEffectOf(fn *types.Func, args FdArgs) FdEffect {
	if fn == nil || fn.Pkg() == nil || !SyscallPackage(fn.Pkg().Path()) {
		return FdEffect{}
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() != nil {
		return FdEffect{}
	}
	pkg := fn.Pkg()
	var fc FdCreator
	what, shift := "", 0
	switch {
	case RawSyscall(fn):
		trap, ok := TrapName(pkg, args.Const(0), FdTraps())
		if !ok {
			return FdEffect{}
		}
		what = "(" + trap + ")"
		if trap == "SYS_FCNTL" {
			return fcntlEffect(pkg, args, 1, what)
		}
		fc, shift = fdTraps[trap], 1
	case fn.Name() == "FcntlInt":
		return fcntlEffect(pkg, args, 0, "")
	case fn.Name() == "CloseOnExec":
		if args.Len() != 1 {
			return FdEffect{}
		}
		return FdEffect{Kind: FdMark}
	default:
		if fc, ok = FdCreators[fn.Name()]; !ok || sig.Params().Len() != args.Len() {
			return FdEffect{} // another signature on this platform
		}
	}
	if fc.Flags >= 0 {
		fc.Flags += shift
	}
	fc.FdArg += shift
	if fc.Flags >= args.Len() || ((fc.Place == FdPairArg || fc.Place == FdNewArg) && fc.FdArg >= args.Len()) {
		return FdEffect{} // a raw call that does not pass the argument
	}
	return FdEffect{Kind: FdCreate, Creator: fc, What: what}
}

// fcntlEffect is what fcntl(fd, cmd, arg) does, its fd at argument base:
// F_DUPFD creates a descriptor without close-on-exec, F_SETFD with
// FD_CLOEXEC in arg marks fd.
func fcntlEffect(pkg *types.Package, args FdArgs, base int, what string) FdEffect {
	if args.Len() < base+2 {
		return FdEffect{}
	}
	cmd := args.Const(base + 1)
	switch {
	case cmd == nil:
	case sameConst(cmd, pkgConst(pkg, "F_DUPFD")):
		return FdEffect{Kind: FdCreate, What: what + "(F_DUPFD)",
			Creator: FdCreator{Flags: -1, Fixes: []string{"%[1]s.F_DUPFD_CLOEXEC in place of %[1]s.F_DUPFD"}}}
	case sameConst(cmd, pkgConst(pkg, "F_SETFD")):
		if bit := pkgConst(pkg, "FD_CLOEXEC"); bit != nil && args.Len() > base+2 && args.Has(base+2, bit) {
			return FdEffect{Kind: FdMark, Arg: base}
		}
	}
	return FdEffect{}
}

// rawSyscall matches the raw system call entry points, whose first
// argument is the trap number: Syscall, Syscall6, RawSyscall6,
// SyscallNoError, Syscall9 and the like.
var rawSyscall = regexp.MustCompile(`^(Raw)?Syscall(N|[0-9]+)?(NoError)?$`)

// RawSyscall reports whether fn is a raw system call entry point of
// syscall or x/sys/unix, whose first argument is the trap number.
func RawSyscall(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || !SyscallPackage(fn.Pkg().Path()) || !rawSyscall.MatchString(fn.Name()) {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() != nil || sig.Params().Len() == 0 {
		return false
	}
	b, ok := sig.Params().At(0).Type().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Uintptr
}

// TrapName returns the one of names, constants of pkg, whose value is v.
func TrapName(pkg *types.Package, v constant.Value, names []string) (string, bool) {
	if v == nil {
		return "", false
	}
	for _, name := range names {
		if sameConst(v, pkgConst(pkg, name)) {
			return name, true
		}
	}
	return "", false
}

// pkgConst returns the value of the constant name of pkg, or nil.
func pkgConst(pkg *types.Package, name string) constant.Value {
	if pkg == nil {
		return nil
	}
	if k, ok := pkg.Scope().Lookup(name).(*types.Const); ok {
		return k.Val()
	}
	return nil
}

// sameConst reports whether a and b are the same integer constant.
func sameConst(a, b constant.Value) bool {
	if a == nil || b == nil {
		return false
	}
	a, b = constant.ToInt(a), constant.ToInt(b)
	return a.Kind() == constant.Int && b.Kind() == constant.Int && constant.Compare(a, token.EQL, b)
}

// HasBits reports whether the constant v has every bit of bit.
func HasBits(v, bit constant.Value) bool {
	if v == nil || bit == nil {
		return false
	}
	v, bit = constant.ToInt(v), constant.ToInt(bit)
	if v.Kind() != constant.Int || bit.Kind() != constant.Int {
		return false
	}
	return constant.Compare(constant.BinaryOp(v, token.AND, bit), token.EQL, bit)
}
