//go:build !(linux && amd64)

package main

import "fmt"

func main() {
	fmt.Println("rawfork runs on linux/amd64 only (it calls SYS_FORK)")
}
