package analyzer

// A Rule is one kind of finding: the Category of its diagnostics, the
// pass that reports it, and what it means.
type Rule struct {
	Name    string // the diagnostic Category, safe as a URL fragment
	Pass    string // the reporting analyzer's name
	Summary string // one line, for help texts and SARIF
}

// Rules lists every rule of the suite, in documentation order.
var Rules = []Rule{
	{"blocking", "lockinfinalizer", "a finalizer or cleanup can wait without bound, stalling every finalizer after it"},
	{"lock", "lockinfinalizer", "a finalizer, cleanup or signal handler takes a lock that other code holds across an unbounded wait"},
	{"cycle", "lockinfinalizer", "a lock's holder waits for something only the finalizer, cleanup or signal handler provides: a deadlock"},
	{"relock", "lockinfinalizer", "a finalizer, cleanup or signal handler takes a mutex it already holds: Go mutexes are not reentrant"},
	{"alloc", "allocunderlock", "under finalizers=inline, an allocation while holding a lock that a finalizer or cleanup takes"},
	{"rawfork", "forkafterthreads", "a raw fork, whose child inherits locks held by the runtime's other threads"},
	{"exec", "forkafterthreads", "syscall.Exec after goroutines started: they die without running deferred calls"},
	{"fdleak", "forkafterthreads", "a file descriptor created without close-on-exec leaks into every child process"},
	{"forklock", "forkafterthreads", "syscall.ForkLock held across starting a process: the start waits for the lock"},
	{"pdeathsig", "forkafterthreads", "SysProcAttr.Pdeathsig without runtime.LockOSThread: the child is killed when the starting thread exits"},
	{"keepalive", "keepalive", "a finalizer or cleanup that can never run: its function or argument keeps the object reachable"},
	{IgnoreRule, "", "a //finalock:ignore directive that is malformed or suppresses nothing"},
}

// IgnoreRule is the category of findings about //finalock:ignore
// directives themselves.
const IgnoreRule = "ignore"

// RuleNamed returns the rule called name.
func RuleNamed(name string) (Rule, bool) {
	for _, r := range Rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

// RulesOf returns the names of the rules the pass called pass reports, in
// documentation order.
func RulesOf(pass string) []string {
	var names []string
	for _, r := range Rules {
		if pass != "" && r.Pass == pass {
			names = append(names, r.Name)
		}
	}
	return names
}
