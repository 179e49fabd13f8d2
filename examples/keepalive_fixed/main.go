// Keepalive_fixed is keepalive with a cleanup that runs.
//
// The cleanup's argument is the descriptor, read when the cleanup is
// registered, not the statistics that point back to the connection.
// Nothing the runtime keeps for the cleanup refers to the connection, so
// once the program drops it the collector frees it and the cleanup
// releases the descriptor.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// held counts the descriptors not yet released.
var held atomic.Int64

// Conn is a connection holding a descriptor and its statistics.
type Conn struct {
	fd    int
	buf   []byte
	stats *stats
}

// stats records a connection's traffic, and the connection it records
// it for.
type stats struct {
	conn *Conn
	read int64
}

// count records n bytes read.
func (s *stats) count(n int) { s.read += int64(n) }

// dial opens a connection whose descriptor is released when it is
// collected.
func dial(fd int) *Conn {
	c := &Conn{fd: fd, buf: make([]byte, 4<<10)}
	c.stats = &stats{conn: c}
	held.Add(1)
	runtime.AddCleanup(c, release, c.fd)
	return c
}

// release gives a descriptor back.
func release(fd int) { held.Add(-1) }

func main() {
	const n = 1000
	for i := range n {
		c := dial(i)
		c.stats.count(len(c.buf)) // then dropped
	}
	deadline := time.Now().Add(2 * time.Second)
	for held.Load() > 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if left := held.Load(); left > 0 {
		fmt.Printf("leaked for 2s: %d of %d connections still held after runtime.GC(); their cleanups never ran\n", left, n)
		os.Exit(1)
	}
	fmt.Printf("all %d connections released\n", n)
}
