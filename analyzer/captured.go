package analyzer

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// This file lets a closure's summary speak of what it captures from its
// enclosing function's parameters, the way it speaks of its own
// parameters. pebble's compaction
//
//	func (d *DB) compact1(c *compaction, errChannel chan error) (err error) {
//		if errChannel != nil {
//			defer func() { errChannel <- err }()
//		}
//		…
//	}
//
// sends on errChannel in a closure: the send is on the closure's input
// number len(Params)+i (its free variable i), which a call of the
// closure made in sight restates as the value bound there, the enclosing
// function's parameter. So the enclosing function's summary says "a send
// on my parameter errChannel, when it is not nil", and its callers judge
// it with the channel they pass.

// capturedParam returns the input index of the free variable fv of a
// closure whose binding has the place p in the enclosing function: past
// the closure's parameters when p is a parameter there with no class of
// its own (the call of the closure restates it), else -1.
func capturedParam(fv *ssa.FreeVar, p place) int {
	if p.class != "" || p.param < 0 {
		return -1
	}
	fn := fv.Parent()
	if i := slices.Index(fn.FreeVars, fv); i >= 0 {
		return len(fn.Params) + i
	}
	return -1
}

// capturedCell is capturedParam for a variable that a closure captures
// by reference: the closure loads its channel from the cell addr, which
// holds only s, a value of the enclosing function with the place p there.
func capturedCell(addr, s ssa.Value, p place) int {
	fv, ok := addr.(*ssa.FreeVar)
	if !ok || fv.Parent().Parent() != s.Parent() {
		return -1 // captured from further out
	}
	return capturedParam(fv, p)
}

// closureArgs is callArgs with, for a call of a closure made in sight,
// the values its free variables are bound to after the arguments: the
// inputs capturedParam numbers.
func closureArgs(c *ssa.CallCommon) []ssa.Value {
	args := callArgs(c)
	if mc, ok := c.Value.(*ssa.MakeClosure); ok && len(mc.Bindings) > 0 {
		return append(slices.Clip(args), bound(mc)...)
	}
	return args
}

// bound returns the values the free variables of mc are bound to: for a
// variable captured by reference, the value stored in it when it is
// stored once, else its cell.
func bound(mc *ssa.MakeClosure) []ssa.Value {
	out := make([]ssa.Value, len(mc.Bindings))
	for i, b := range mc.Bindings {
		out[i] = b
		if cell, ok := b.(*ssa.Alloc); ok {
			if s := storedValue(cell); s != nil {
				out[i] = s
			}
		}
	}
	return out
}

// invokedArgs returns the inputs of the closure fn, made in the function
// being walked, that a standard-library function calls
// (pprof.Do(ctx, labels, func(context.Context) { … })): its parameters
// get what the std function passes, unknown here, and stood for by the
// closure value itself, which has no place; its free variables get their
// bindings. It returns nil for any other function.
func (w *walker) invokedArgs(fn *ssa.Function) []ssa.Value {
	mc := w.e.closures[fn]
	if mc == nil || mc.Parent() != w.fn || len(mc.Bindings) == 0 {
		return nil
	}
	args := make([]ssa.Value, len(fn.Params), len(fn.Params)+len(mc.Bindings))
	for i := range args {
		args[i] = mc
	}
	return append(args, bound(mc)...)
}

// inputOf is paramOf that also sees the variables a closure captures: a
// load of its free variable i is its input len(Params)+i (see
// capturedParam), which a call of the closure restates as the value
// bound there.
func inputOf(v ssa.Value, fn *ssa.Function) int {
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if fv, ok := ld.X.(*ssa.FreeVar); ok && fv.Parent() == fn {
			if i := slices.Index(fn.FreeVars, fv); i >= 0 {
				return len(fn.Params) + i
			}
		}
	}
	return paramOf(v, fn)
}
