// Package execjoin checks goroutine starts that their function joins
// before it returns: the exec rule does not count them.
package execjoin

import (
	"os"
	"sync"
	"syscall"

	"forkafterthreads/execjoin/lib"
)

var sink []int

func work(n int) {
	for i := 0; i < n; i++ {
		sink = append(sink, i)
	}
}

func forever() {
	for {
		work(1)
	}
}

type pool struct {
	wg sync.WaitGroup
}

// Joined by WaitGroup.Wait: the goroutine's Done is deferred.
func (p *pool) joinedByWait() {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		work(10)
	}()
	p.wg.Wait()
}

func execAfterWait(p *pool) {
	p.joinedByWait()
	syscall.Exec("/bin/true", nil, nil)
}

// Joined by a range loop over a channel the goroutine closes in a
// deferred call.
func joinedByRangeDeferred() int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < 3; i++ {
			ch <- i
		}
	}()
	n := 0
	for v := range ch {
		n += v
	}
	return n
}

func execAfterRangeDeferred() {
	joinedByRangeDeferred()
	syscall.Exec("/bin/true", nil, nil)
}

// Joined by a range loop over a channel the goroutine closes last.
func joinedByRangePlain() int {
	ch := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			ch <- i
		}
		close(ch)
	}()
	n := 0
	for v := range ch {
		n += v
	}
	return n
}

func execAfterRangePlain() {
	joinedByRangePlain()
	syscall.Exec("/bin/true", nil, nil)
}

// Joined by the receive of the value the goroutine sends last.
func joinedByValue() int {
	ch := make(chan int)
	go func() {
		work(10)
		ch <- len(sink)
	}()
	return <-ch
}

func execAfterValue() {
	joinedByValue()
	syscall.Exec("/bin/true", nil, nil)
}

// Joined by WaitGroup.Wait after a loop of starts: the WaitGroup counts
// every one.
func (p *pool) joinedAfterLoop(n int) {
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			work(i)
		}()
	}
	p.wg.Wait()
}

func execAfterLoop(p *pool) {
	p.joinedAfterLoop(4)
	syscall.Exec("/bin/true", nil, nil)
}

// Joined by WaitGroup.Wait: WaitGroup.Go marks it done as it returns.
func (p *pool) joinedWaitGroupGo() {
	p.wg.Go(func() { work(10) })
	p.wg.Wait()
}

func execAfterWaitGroupGo(p *pool) {
	p.joinedWaitGroupGo()
	syscall.Exec("/bin/true", nil, nil)
}

type names []string

func (n names) Describe(ch chan<- string) {
	for _, s := range n {
		ch <- s
	}
}

// Joined in another package, known from its facts.
func execAfterRegister(r *lib.Registry) {
	r.Register(names{"a"})
	syscall.Exec("/bin/true", nil, nil)
}

// Joined in another package by goroutines that join their own.
func execAfterRegisterWrapped(r *lib.Registry) {
	r.RegisterWrapped(names{"a"})
	syscall.Exec("/bin/true", nil, nil)
}

// Hazard: joined in another package, but the goroutine joined starts
// one that is not.
func execAfterRegisterLeaky(r *lib.Registry) {
	r.DescribeLeaky(names{"a"})
	syscall.Exec("/bin/true", nil, nil) // want `started: \(\*lib.Registry\).DescribeLeaky \(execjoin.go:\d+\) → drain \(lib.go:\d+\) → drain.func1 \(lib.go:\d+\) → \(Leaky\).Describe \(lib.go:\d+\) → go func value \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}

// Hazard: joined only on some paths.
func joinedSometimes() int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		ch <- 1
	}()
	if len(os.Args) > 1 {
		return 0
	}
	n := 0
	for v := range ch {
		n += v
	}
	return n
}

func execAfterSometimes() {
	joinedSometimes()
	syscall.Exec("/bin/true", nil, nil) // want `started: joinedSometimes \(execjoin.go:\d+\) → go joinedSometimes.func1 \(execjoin.go:\d+\) \(forkafterthreads/exec\)$`
}

// Hazard: the joined goroutine starts one that nobody joins.
func (p *pool) joinedStartsAnother() {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		go forever()
	}()
	p.wg.Wait()
}

func execAfterNested(p *pool) {
	p.joinedStartsAnother()
	syscall.Exec("/bin/true", nil, nil) // want `started: \(\*pool\).joinedStartsAnother \(execjoin.go:\d+\) → \(\*pool\).joinedStartsAnother.func1 \(execjoin.go:\d+\) → go forever \(execjoin.go:\d+\) \(forkafterthreads/exec\)$`
}

// Hazard: the goroutine calls Done only on some paths.
func (p *pool) doneSometimes() {
	p.wg.Add(1)
	go func() {
		if len(os.Args) > 1 {
			p.wg.Done()
		}
		work(10)
	}()
	p.wg.Wait()
}

func execAfterDoneSometimes(p *pool) {
	p.doneSometimes()
	syscall.Exec("/bin/true", nil, nil) // want `started: \(\*pool\).doneSometimes \(execjoin.go:\d+\) → go \(\*pool\).doneSometimes.func1 \(execjoin.go:\d+\) \(forkafterthreads/exec\)$`
}

// Hazard: the goroutine goes on after it sends the value received.
func valueThenWork() int {
	ch := make(chan int)
	go func() {
		ch <- 1
		work(10)
	}()
	return <-ch
}

func execAfterValueThenWork() {
	valueThenWork()
	syscall.Exec("/bin/true", nil, nil) // want `started: valueThenWork \(execjoin.go:\d+\) → go valueThenWork.func1 \(execjoin.go:\d+\) \(forkafterthreads/exec\)$`
}

// Hazard: joined in another package on some paths only.
func execAfterRegisterSome(r *lib.Registry) {
	r.RegisterSome(names{"a"})
	syscall.Exec("/bin/true", nil, nil) // want `started: \(\*lib.Registry\).RegisterSome \(execjoin.go:\d+\) → go \(\*Registry\).RegisterSome.func1 \(lib.go:\d+\) \(forkafterthreads/exec\)$`
}

// Hazard: the goroutine adds to the WaitGroup itself, so Wait may
// return before it starts.
func (p *pool) addInside() {
	go func() {
		p.wg.Add(1)
		defer p.wg.Done()
		work(10)
	}()
	p.wg.Wait()
}

func execAfterAddInside(p *pool) {
	p.addInside()
	syscall.Exec("/bin/true", nil, nil) // want `started: \(\*pool\).addInside \(execjoin.go:\d+\) → go \(\*pool\).addInside.func1 \(execjoin.go:\d+\) \(forkafterthreads/exec\)$`
}

var results = make(chan int, 1)

// Hazard: another function sends on the channel too, so the receive may
// take its value while the goroutine runs.
func twoSenders() int {
	go func() {
		work(10)
		results <- len(sink)
	}()
	return <-results
}

func report(n int) { results <- n }

func execAfterTwoSenders() {
	twoSenders()
	syscall.Exec("/bin/true", nil, nil) // want `started: twoSenders \(execjoin.go:\d+\) → go twoSenders.func1 \(execjoin.go:\d+\) \(forkafterthreads/exec\)$`
}
