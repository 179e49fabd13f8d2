// Package foreign holds directives that the pass owning the
// lockinfinalizer rules judges: any other pass leaves them alone.
package foreign

func report(rule, message string) {}

// Malformed directives, unknown names and stale lockinfinalizer rules.
func Malformed() {
	//finalock:ignore
	//finalock:ignore lock
	//finalock:ignore nosuchrule reason
	//finalock:ignore lockinfinalizer a pass
	//finalock:ignore lock,cycle stale
	_ = 1
}
