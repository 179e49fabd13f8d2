// Command plugged links register, whose init gives gfx its context.
package main

import (
	"example.com/wholemod/gfx"
	_ "example.com/wholemod/register"
)

func main() {
	_ = gfx.NewTexture()
	gfx.Draw()
}
