//go:build !linux

package main

import "fmt"

func main() {
	fmt.Println("fdleak_fixed runs on linux only (it lists /proc/self/fd)")
}
