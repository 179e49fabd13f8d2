// Package c allocates.
package c

func Buffer() []byte { return make([]byte, 64) }
