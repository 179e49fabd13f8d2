// Command hooked gives the dependency's hooks a mainthread.Loop, whose
// Do waits for the loop: only the whole program sees that the finalizer
// NewTexture installs can wait without bound.
package main

import (
	"example.com/installdep/hooks"
	"example.com/installmod/mainthread"
)

func main() {
	l := mainthread.New()
	hooks.Use(l)
	go func() {
		for {
			_ = hooks.NewTexture() // want `^finalizer \(\*hooks\.Texture\)\.release \(registered in example\.com/installdep/hooks, installed by hooks\.NewTexture\) can wait without bound( \(and 1 more\))?; .*: hooks\.NewTexture \(main\.go:16\) → runtime\.SetFinalizer \(hooks\.go:23\) → finalizer \(\*hooks\.Texture\)\.release → \(\*mainthread\.Loop\)\.Do \(hooks\.go:28, dynamic\) → send to Loop\.funcs \(mainthread\.go:18\) \(lockinfinalizer/blocking\)$`
		}
	}()
	l.Run()
}
