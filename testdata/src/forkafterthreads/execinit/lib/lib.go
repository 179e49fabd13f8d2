// Package lib starts a goroutine when it is initialised.
package lib

func loop() {
	select {}
}

func init() {
	go loop()
}
