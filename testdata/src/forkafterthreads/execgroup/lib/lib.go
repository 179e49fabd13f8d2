// Package lib has a Group that starts goroutines counted on its
// WaitGroup and a Wait that waits for them, like errgroup's, for
// execgroup to learn from its facts.
package lib

import "sync"

// A Group runs functions on goroutines until Wait.
type Group struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

// Go runs f on a goroutine that the Group's WaitGroup counts; it calls
// Done last.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.mu.Lock()
			if g.err == nil {
				g.err = err
			}
			g.mu.Unlock()
		}
	}()
}

// Wait waits until every goroutine that Go started has returned.
func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}

// Err does not wait.
func (g *Group) Err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}

// A Limited runs at most a number of functions at a time, and its
// goroutines mark themselves done in a deferred helper that gives back
// their token first, as errgroup's do.
type Limited struct {
	wg  sync.WaitGroup
	sem chan struct{}
}

// NewLimited returns a Limited that runs n functions at a time.
func NewLimited(n int) *Limited { return &Limited{sem: make(chan struct{}, n)} }

func (l *Limited) done() {
	<-l.sem
	l.wg.Done()
}

// Go runs f once a token is free.
func (l *Limited) Go(f func()) {
	l.sem <- struct{}{}
	l.wg.Add(1)
	go func() {
		defer l.done()
		f()
	}()
}

// Wait waits for every goroutine that Go started.
func (l *Limited) Wait() { l.wg.Wait() }

// DoneEarly's goroutine goes on after its Done.
func (l *Limited) DoneEarly(f func()) {
	l.wg.Add(1)
	go func() {
		l.wg.Done()
		f()
	}()
}
