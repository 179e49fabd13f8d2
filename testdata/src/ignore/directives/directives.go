// Package directives exercises //finalock:ignore through a harness pass
// that reports, at each call of report, a finding of the rule and with the
// message that the call names.
package directives

func report(rule, message string) {}

// Plain is reported with the rule at the end of its message.
func Plain() {
	report("blocking", "finalizer f can wait without bound") // want `^finalizer f can wait without bound \(lockinfinalizer/blocking\)$`
}

// Qualified is suppressed by a rule named with its pass.
func Qualified() {
	report("blocking", "finalizer f can wait without bound") //finalock:ignore lockinfinalizer/blocking q is drained until exit
}

// Misqualified names a rule with another pass.
func Misqualified() {
	//finalock:ignore forkafterthreads/blocking wrong pass // want `names "forkafterthreads/blocking", which is not a finalock rule; the rules are blocking, lock, cycle, relock, alloc, rawfork, exec, fdleak, forklock, pdeathsig, keepalive \(lockinfinalizer/ignore\)$`
	report("blocking", "finalizer f can wait without bound") // want `can wait without bound`
}

// PassName names a pass, not a rule.
func PassName() {
	//finalock:ignore forkafterthreads the golangci-lint text starts with it // want `names the pass "forkafterthreads", not a rule; its rules are rawfork, exec, fdleak, forklock, pdeathsig`
	_ = 1
}

// IgnoreRule names the rule of directives.
func IgnoreRule() {
	//finalock:ignore ignore quiet // want `names "ignore": findings about directives cannot be suppressed`
	_ = 1
}

// Unlock is where the witness of Root's finding goes: a directive here
// suppresses nothing, and says where the finding is.
func Unlock() {
	_ = 1 //finalock:ignore lock the holder is quick // want `^//finalock:ignore lock suppresses nothing here: the lock finding that passes through this line is reported at directives.go:44; put the directive there \(lockinfinalizer/ignore\)$`
}

// Root reports a finding whose witness passes through Unlock.
func Root() {
	report("lock", "finalizer f takes mu, which g holds across send to ch (directives.go:12): finalizer f → Unlock (directives.go:44) → mu.Lock (directives.go:39)") // want `takes mu`
}

// StaleAlone is a directive alone on its line: the fix removes the line.
func StaleAlone() {
	//finalock:ignore cycle left over // want `cycle suppresses nothing here: remove it`
	_ = 1
}

// StaleOne keeps the rule that suppresses something.
func StaleOne() {
	report("blocking", "finalizer f can wait without bound") //finalock:ignore cycle,blocking,lock drained // want `cycle suppresses nothing` `lock suppresses nothing`
}
