package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Package-level callback variables: a root that runs the functions of a
// package-level variable of func or []func type (var OnStop func(), var
// hooks []func()) runs what importers put there, by assignment
// (lib.OnStop = f) or through an exported function that stores its
// parameter into it (func OnExit(f func()) { hooks = append(hooks, f) }).
// Such a variable is a callback "field" like a field of an exported
// struct type, its class the variable's (example.com/lib.hooks).

// callbackPlace returns the class of the callback field or variable that
// addr is the address of, and whether it is exported, or "".
func callbackPlace(addr ssa.Value) (string, bool) {
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		if field := callbackField(a); field != "" {
			st, _ := structOf(a.X.Type())
			return field, st.Field(a.Field).Exported()
		}
	case *ssa.Global:
		if v := callbackVar(a); v != "" {
			return v, a.Object().Exported()
		}
	}
	return "", false
}

// callbackVar returns the class of the package-level variable g when it
// holds a function or a slice of functions, or "".
func callbackVar(g *ssa.Global) string {
	obj, ok := g.Object().(*types.Var)
	if !ok || obj.Pkg() == nil {
		return ""
	}
	if !isFuncOrFuncs(obj.Type()) {
		return ""
	}
	return qualifiedName(obj.Pkg(), obj.Name())
}

// isFuncOrFuncs reports whether t is a function type or a slice of one.
func isFuncOrFuncs(t types.Type) bool {
	t = t.Underlying()
	if s, ok := t.(*types.Slice); ok {
		t = s.Elem().Underlying()
	}
	_, ok := t.(*types.Signature)
	return ok
}
