// Package signals handles signals in every form finalock recognises. A
// handler that takes Server.mu, which serve holds across a receive, is
// reported; its twin takes Server.stats, held only for O(1) work.
package signals

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// Server serves jobs until a signal stops it.
type Server struct {
	mu    sync.Mutex // held across a receive in serve
	stats sync.Mutex // held for O(1) work only
	jobs  chan int
	n     int
	wg    sync.WaitGroup
}

func (s *Server) serve() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for j := range s.jobs {
		s.n += j
	}
}

func (s *Server) count() {
	s.stats.Lock()
	s.n++
	s.stats.Unlock()
}

func (s *Server) stop() {
	s.mu.Lock()
	s.n = 0
	s.mu.Unlock()
}

// Same function: the code after the receive is the handler; the code
// before it is not.
func sameFunction(s *Server) {
	s.stop()
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch // want `signal handler sameFunction takes Server.mu, which \(\*Server\).serve \(signals.go:25\) holds across receive from Server.jobs`
	s.stop()
}

func sameFunctionOK(s *Server) {
	s.stop()
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	s.count()
	s.wg.Wait() // a graceful shutdown waits by design
	time.Sleep(time.Second)
}

// A goroutine closure that the channel flows into.
func closure(s *Server) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	go func() {
		<-ch // want `signal handler closure.func1 takes Server.mu`
		s.stop()
	}()
}

func closureOK(s *Server) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	go func() {
		<-ch
		s.count()
		s.wg.Wait()
	}()
}

// A function that receives the channel as a parameter.
func param(s *Server) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	go handle(s, ch)
}

func handle(s *Server, ch <-chan os.Signal) {
	<-ch // want `signal handler handle takes Server.mu`
	s.stop()
}

func paramOK(s *Server) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGHUP)
	go handleOK(s, ch)
}

func handleOK(s *Server, ch <-chan os.Signal) {
	<-ch
	s.count()
	s.wg.Wait()
}

// A stored channel: a field of the server.
type Daemon struct {
	s    *Server
	sigs chan os.Signal
}

func (d *Daemon) start() {
	d.sigs = make(chan os.Signal, 1)
	signal.Notify(d.sigs, syscall.SIGUSR1)
}

func (d *Daemon) loop() {
	for range d.sigs { // want `signal handler \(\*Daemon\).loop takes Server.mu`
		d.s.stop()
	}
}

// for range over the channel.
func rangeLoop(s *Server) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR2)
	for sig := range ch { // want `signal handler rangeLoop takes Server.mu`
		if sig == syscall.SIGUSR2 {
			s.stop()
		}
	}
}

func rangeLoopOK(s *Server) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR2)
	for range ch {
		s.count()
		s.wg.Wait()
	}
}

// select: only the signal case is the handler.
func selectCase(s *Server, jobs chan int) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT)
	select {
	case <-ch: // want `signal handler selectCase takes Server.mu`
		s.stop()
	case j := <-jobs:
		s.n += j
	}
}

func selectCaseOK(s *Server, jobs chan int) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT)
	select {
	case <-ch:
		s.count()
	case j := <-jobs:
		s.stop() // not the handler
		s.n += j
	}
}

// A select in a loop: the other case runs after the handler, but only
// after the loop waits again; it is not the handler.
func selectLoopOK(s *Server, jobs chan int) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT)
	for {
		select {
		case <-ch:
			s.count()
		case j := <-jobs:
			s.stop()
			s.n += j
		}
	}
}

// A signal case that breaks out of the loop (containerd-stress): the
// default case is the loop's work, not the handler, though the case's
// branch leads to the loop's exit that other paths reach too.
func selectBreakOK(s *Server) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT)
loop:
	for i := 0; i < 10; i++ {
		select {
		case <-ch:
			break loop
		default:
			s.stop()
		}
	}
}

// <-ctx.Done() for a context from signal.NotifyContext.
func notifyContext(s *Server) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done() // want `signal handler notifyContext takes Server.mu`
	s.stop()
}

func notifyContextOK(s *Server) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
	s.count()
	s.wg.Wait()
}

func notifyContextGo(s *Server) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	go func() {
		defer stop()
		<-ctx.Done() // want `signal handler notifyContextGo.func1 takes Server.mu`
		s.stop()
	}()
	go waitDone(ctx, s)
}

func waitDone(ctx context.Context, s *Server) {
	select {
	case <-ctx.Done(): // want `signal handler waitDone takes Server.mu`
		s.stop()
	}
}

// A context that does not come from signal.NotifyContext is no signal.
func plainContext(ctx context.Context, s *Server) {
	<-ctx.Done()
	s.stop()
}

// A channel that signal.Notify never sees is no signal.
func notSignal(s *Server, ch chan os.Signal) {
	<-ch
	s.stop()
}

// A channel or a context stored after signal.Notify or NotifyContext, and
// received from elsewhere.
type Service struct {
	s    *Server
	sigs chan os.Signal
	ctx  context.Context
}

func newService(s *Server) *Service {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	ctx, _ := signal.NotifyContext(context.Background(), syscall.SIGINT)
	return &Service{s: s, sigs: ch, ctx: ctx}
}

func (v *Service) waitSignal() {
	<-v.sigs // want `signal handler \(\*Service\).waitSignal takes Server.mu`
	v.s.stop()
}

func (v *Service) waitContext() {
	<-v.ctx.Done() // want `signal handler \(\*Service\).waitContext takes Server.mu`
	v.s.stop()
}

// The same shapes without a signal: a field that never holds a channel
// given to signal.Notify, or a context from signal.NotifyContext.
type Worker struct {
	s    *Server
	jobs chan os.Signal
	ctx  context.Context
}

func newWorker(s *Server) *Worker {
	return &Worker{s: s, jobs: make(chan os.Signal), ctx: context.Background()}
}

func (w *Worker) wait() {
	<-w.jobs
	w.s.stop()
	<-w.ctx.Done()
	w.s.stop()
}
