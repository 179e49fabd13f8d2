// Package rootsy registers finalizers through rootsx, which forwards them
// through track to the runtime.
package rootsy

import (
	"lockinfinalizer/rootsx"
	"lockinfinalizer/track"
)

func slow(o *track.Object) { <-o.Done }

func fast(o *track.Object) {}

func register() {
	rootsx.Keep(&track.Object{}, slow) // want `finalizer slow can wait without bound.*receive from Object.Done`
	rootsx.Keep(&track.Object{}, fast)
}
