// Command direct draws where it is: gfx's context is a mainthread.Direct,
// whose Do never waits, so gfx.Draw holds gfx's mutex only while drawing.
package main

import (
	"example.com/wholemod/gfx"
	"example.com/wholemod/mainthread"
)

func main() {
	gfx.Use(mainthread.Direct{})
	for {
		_ = gfx.NewTexture()
		gfx.Draw()
	}
}
