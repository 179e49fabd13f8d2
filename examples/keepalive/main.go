// Keepalive shows a cleanup that never runs.
//
// Each connection registers a cleanup that releases its descriptor when
// the connection is garbage collected. The cleanup's argument is the
// connection's statistics, which point back to the connection to find
// its descriptor. The runtime keeps every cleanup's argument until the
// object is unreachable, and this one keeps its object reachable: none
// of the connections is ever collected and no descriptor is ever released
// (runtime.AddCleanup: "If ptr is reachable from cleanup or arg, ptr will
// never be collected and the cleanup will never run"). AddCleanup checks
// only that arg is not ptr and does not point into it; this reference
// goes through another object. The program drops 1000 connections,
// collects for two seconds and counts the descriptors still held.
// keepalive_fixed passes the descriptor itself as the argument.
package main

import (
	"fmt"
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
	runtime.AddCleanup(c, closeStats, c.stats)
	return c
}

// closeStats releases the descriptor of the connection s counts for.
func closeStats(s *stats) { release(s.conn.fd) }

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
		return
	}
	fmt.Printf("all %d connections released\n", n)
}
