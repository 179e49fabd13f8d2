// Package worker starts goroutines on request, not at init.
package worker

func loop() {}

// Start starts a goroutine.
func Start() {
	go loop()
}

// Nothing starts nothing.
func Nothing() {}
