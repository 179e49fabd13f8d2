// Logqueue_fixed is logqueue with a Log that never waits.
//
// Log sends with a select that has a default case: when the queue is full the
// message is dropped and counted instead of blocking the caller. The Session
// finalizer completes even though the writer is stuck and the queue is full.
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
	q       chan string
	conn    net.Conn
	dropped atomic.Int64
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

// Log queues m for writing. It drops m if the queue is full.
func (h *Handler) Log(m string) {
	select {
	case h.q <- m:
	default:
		h.dropped.Add(1)
	}
}

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

var finalizerDone atomic.Bool

func (s *Session) finalize() {
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

	if !eventually(finalizerDone.Load, 2*time.Second) {
		fmt.Println("stalled for 2s: the session finalizer did not complete")
		os.Exit(1)
	}
	fmt.Printf("finalizer completed; %d log message(s) dropped\n", log.dropped.Load())
}
