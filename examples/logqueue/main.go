// Logqueue shows a finalizer that stalls on a full log queue.
//
// A log Handler queues messages on a buffered channel that a writer goroutine
// drains into a network connection to a log shipper. Log sends on the
// channel, so it waits whenever the queue is full. Here the shipper stopped
// reading and the connection has no write deadline: the writer is stuck in
// Write, the queue fills up, and a Session finalizer that logs a warning
// waits forever. Go runs all finalizers on one goroutine, one after the
// other: while this one is stuck, no other finalizer in the program runs.
package main

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// Handler writes log messages from a bounded queue on its own goroutine.
type Handler struct {
	q    chan string
	conn net.Conn
}

// NewHandler returns a Handler that queues up to size messages for conn.
func NewHandler(conn net.Conn, size int) *Handler {
	h := &Handler{q: make(chan string, size), conn: conn}
	go h.run()
	return h
}

// run ships the queued messages, with no deadline on the connection.
func (h *Handler) run() {
	for m := range h.q {
		h.conn.Write([]byte(m + "\n"))
	}
}

// Log queues m for writing. It waits while the queue is full.
func (h *Handler) Log(m string) { h.q <- m }

// Session is a client session that logs a warning when it is leaked.
type Session struct {
	id  int
	log *Handler
}

// OpenSession returns a new session.
func OpenSession(id int, log *Handler) *Session {
	s := &Session{id: id, log: log}
	runtime.SetFinalizer(s, (*Session).finalize)
	return s
}

var finalizerStarted, finalizerDone atomic.Bool

func (s *Session) finalize() {
	finalizerStarted.Store(true)
	s.log.Log(fmt.Sprintf("session %d was not closed", s.id))
	finalizerDone.Store(true)
}

// eventually runs the garbage collector until cond holds or d has passed.
func eventually(cond func() bool, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
		runtime.GC()
	}
	return cond()
}

func main() {
	shipper, _ := net.Pipe() // the shipper never reads its end
	log := NewHandler(shipper, 4)

	log.Log("starting")
	for len(log.q) > 0 { // wait until the writer is stuck writing it
		time.Sleep(time.Millisecond)
	}
	for i := range cap(log.q) { // fill the queue
		log.Log(fmt.Sprintf("request %d", i))
	}

	OpenSession(1, log) // the session is dropped

	if !eventually(finalizerStarted.Load, 2*time.Second) {
		fmt.Println("the session finalizer did not run")
		os.Exit(1)
	}
	if eventually(finalizerDone.Load, 2*time.Second) {
		fmt.Println("finalizer completed")
		return
	}
	fmt.Println("stalled for 2s: finalizer blocked sending to the log queue")
}
