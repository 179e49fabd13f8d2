// Command app draws on the main thread: gfx's context is a
// mainthread.Loop, so gfx.Draw waits for the loop with gfx's mutex held.
package main

import (
	"example.com/wholemod/gfx"
	"example.com/wholemod/mainthread"
)

func main() {
	l := mainthread.New()
	gfx.Use(l)
	go func() {
		for {
			_ = gfx.NewTexture()
			gfx.Draw()
			gfx.Count()
		}
	}()
	l.Run()
}
