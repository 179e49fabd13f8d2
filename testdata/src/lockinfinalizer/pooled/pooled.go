// Package pooled holds objects taken from a sync.Pool whose buffered
// channel gets one value per trip out of the pool (pebble's sstable write
// tasks): every Put comes after a receive from the channel, so the send
// after a Get finds room, and the receive that follows takes that value
// back. The twin puts objects back without draining them.
package pooled

import (
	"runtime"
	"sync"
)

type task struct{ done chan bool }

var tasks = sync.Pool{New: func() any { return &task{done: make(chan bool, 1)} }}

func release(t *task) {
	<-t.done
	tasks.Put(t)
}

// Run takes a task, marks it done, and releases it.
func Run() {
	t := tasks.Get().(*task)
	t.done <- true
	release(t)
}

type job struct{ done chan bool }

var jobs = sync.Pool{New: func() any { return &job{done: make(chan bool, 1)} }}

// RunJob takes a job and marks it done; Drop puts jobs back as they are.
func RunJob() {
	j := jobs.Get().(*job)
	j.done <- true
}

// Drop returns a job to the pool, its value maybe still in the buffer.
func Drop(j *job) { jobs.Put(j) }

func finalize() {
	runtime.SetFinalizer(new(int), func(*int) { Run() })
	runtime.SetFinalizer(new(int), func(*int) { RunJob() }) // want `finalizer finalize.func2 can wait without bound.*RunJob \(pooled.go:\d+\) → send to job.done`
}
