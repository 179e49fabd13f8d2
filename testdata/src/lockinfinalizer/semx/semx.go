// Package semx is a log writer that takes a channel from its caller's
// configuration and receives from it once per queued sync (pebble's
// record.LogWriter and its QueueSemChan). What the receive waits for
// depends on the channel the caller gives: a unit of the caller's
// semaphore, given back, or a channel that only a close ends.
package semx

// Config configures a Writer.
type Config struct {
	// Sem is received from once per sync the writer finishes.
	Sem chan struct{}
}

// Writer runs a flush loop until it is closed.
type Writer struct {
	sem    chan struct{}
	queue  chan int
	done   chan struct{}
	closed chan struct{}
}

// New starts a writer's flush loop.
func New(cfg Config) *Writer {
	w := &Writer{
		sem:    cfg.Sem,
		queue:  make(chan int, 16),
		done:   make(chan struct{}),
		closed: make(chan struct{}),
	}
	go w.loop()
	return w
}

// Queue queues a sync.
func (w *Writer) Queue(n int) {
	select {
	case w.queue <- n:
	case <-w.done:
	}
}

func (w *Writer) loop() {
	defer close(w.closed)
	for {
		select {
		case <-w.done:
			return
		case <-w.queue:
			<-w.sem
		}
	}
}

// Close stops the flush loop and waits for it.
func (w *Writer) Close() {
	close(w.done)
	<-w.closed
}
