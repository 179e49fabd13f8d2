package analyzer

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// This file makes a cancellable context's Done channel a channel like
// any other: calling the context's cancel function closes it.
//
//	c.ctx, c.cancel = context.WithCancel(parent)
//	go c.run()              // run: defer c.cancel(); for { select { case <-c.quit: return … } }
//	…
//	close(c.quit)
//	<-c.ctx.Done()          // a join: run cancels the context as it returns
//
// The Done channel's class is that of the place the context is kept in
// (the field c.ctx, or the call that made a local context), with a
// suffix; a call of the cancel function kept beside it (the field
// c.cancel, or the local cancel) is a close of that class.

// cancelMakers are the context functions that return a context and the
// function that cancels it.
var cancelMakers = map[string]bool{
	"context.WithCancel":      true,
	"context.WithCancelCause": true,
}

// ctxSuffix marks the class of the Done channel of a context kept in a
// field or variable; localCtx, that of a context kept in none, made at
// the position that follows it.
const (
	ctxSuffix = "$done"
	localCtx  = "$ctx@"
)

// cancelCall returns the call of a cancel maker that v, a context or a
// cancel function, is result index of, if it is one.
func cancelCall(v ssa.Value, index int) *ssa.Call {
	x, ok := v.(*ssa.Extract)
	if !ok || x.Index != index {
		return nil
	}
	c, ok := x.Tuple.(*ssa.Call)
	if !ok {
		return nil
	}
	if obj := funcObject(c.Call.StaticCallee()); obj != nil && cancelMakers[obj.FullName()] {
		return c
	}
	return nil
}

// localCtxPlace is the place of the Done channel of the context that the
// cancel maker call c returns, kept in no field.
func (e *engine) localCtxPlace(c *ssa.Call, key string) place {
	pos := e.posString(c.Pos())
	return place{class: qualifiedName(e.pkg, funcPath(c.Parent())+localCtx+pos), short: "context made at " + pos, param: -1, key: key}
}

// ctxDonePlace returns the place of the channel that the call v of a
// context's Done method returns, when the context is kept in a field or
// variable, or is one the function made with a cancel function.
func (e *engine) ctxDonePlace(v *ssa.Call, depth int) (place, bool) {
	common := v.Common()
	if !common.IsInvoke() || common.Method.Name() != "Done" || !isNamed(common.Value.Type(), "context", "Context") {
		return place{}, false
	}
	return e.ctxPlace(common.Value, depth)
}

// ctxPlace returns the place of the Done channel of the context ctx.
func (e *engine) ctxPlace(ctx ssa.Value, depth int) (place, bool) {
	v, kept := e.heldValue(ctx, depth)
	if c := cancelCall(v, 0); c != nil {
		return e.donePlace(c, v), true
	}
	if kept.class == "" || kept.local || !e.cancelled()[kept.class] {
		return place{}, false
	}
	kept.class += ctxSuffix
	kept.short += ".Done()"
	kept.byValue = false
	return kept, true
}

// cancelPlace returns the place of the Done channel that calling the
// function value fn closes: the cancel function of a context made in
// sight, or one kept in the field or variable next to the context's.
func (e *engine) cancelPlace(fn ssa.Value, depth int) (place, bool) {
	v, kept := e.heldValue(fn, depth)
	if c := cancelCall(v, 1); c != nil {
		for _, r := range *c.Referrers() {
			if x, ok := r.(*ssa.Extract); ok && x.Index == 0 {
				return e.donePlace(c, x), true
			}
		}
		return e.localCtxPlace(c, v.Name()), true
	}
	ctx, ok := e.cancelFields()[kept.class]
	if kept.class == "" || !ok {
		return place{}, false
	}
	kept.class, kept.short = ctx+ctxSuffix, ShortClass(ctx)+".Done()"
	kept.byValue = false
	return kept, true
}

// donePlace is the place of the Done channel of ctx, the context that
// the cancel maker call c returns: the field or variable it is kept in,
// or else the call.
func (e *engine) donePlace(c *ssa.Call, ctx ssa.Value) place {
	if cls, short := e.keptIn(ctx); cls != "" {
		return place{class: cls + ctxSuffix, short: short + ".Done()", param: -1, key: ctx.Name()}
	}
	return e.localCtxPlace(c, ctx.Name())
}

// heldValue looks through conversions, a closure's free variables and
// local variables to the value v is; when that is a load from a field or
// package variable, it returns the place loaded from too.
func (e *engine) heldValue(v ssa.Value, depth int) (ssa.Value, place) {
	for ; depth <= maxPlaceDepth; depth++ {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.ChangeInterface:
			v = x.X
			continue
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.FreeVar:
			if b := e.binding(x); b != nil {
				v = b
				continue
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				break
			}
			if a := e.localVar(x.X, depth); a != nil {
				if s := storedValue(a); s != nil {
					v = s
					continue
				}
				break
			}
			return v, e.addrPlace(x.X, depth+1)
		}
		break
	}
	return v, place{param: -1}
}

// cancelFields maps the class of each field or variable that keeps the
// cancel function of a context to the class of the one that keeps the
// context, for the contexts the package makes with a cancel function.
func (e *engine) cancelFields() map[string]string {
	if e.cancels != nil {
		return e.cancels
	}
	e.cancels = map[string]string{}
	e.ctxFields = map[string]bool{}
	for _, fn := range e.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				if obj := funcObject(c.Call.StaticCallee()); obj == nil || !cancelMakers[obj.FullName()] {
					continue
				}
				var ctx, cancel string
				for _, r := range *c.Referrers() {
					if x, ok := r.(*ssa.Extract); ok {
						cls, _ := e.keptIn(x)
						switch x.Index {
						case 0:
							ctx = cls
						case 1:
							cancel = cls
						}
					}
				}
				if ctx != "" && cancel != "" {
					e.cancels[cancel] = ctx
					e.ctxFields[ctx] = true
				}
			}
		}
	}
	return e.cancels
}

// cancelled returns the classes of the fields and variables that keep a
// context made with a cancel function kept beside it.
func (e *engine) cancelled() map[string]bool {
	e.cancelFields()
	return e.ctxFields
}
