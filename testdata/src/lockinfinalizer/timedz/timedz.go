// Package timedz fetches through timedx with a client without a
// Timeout: the request can last forever while Renew holds the lock a
// finalizer takes (the twin of timedy).
package timedz

import (
	"net/http"
	"runtime"
	"sync"

	"lockinfinalizer/timedx"
)

// Issuer fetches renewal information.
type Issuer struct {
	mu         sync.Mutex
	httpClient *http.Client
}

// NewIssuer gives the issuer a client without a timeout.
func NewIssuer() *Issuer {
	iss := &Issuer{}
	iss.httpClient = &http.Client{}
	return iss
}

// Renew fetches under the lock.
func (iss *Issuer) Renew() error {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	c := &timedx.Client{HTTPClient: iss.httpClient}
	return c.Fetch("https://example.com/renewal")
}

// Handle owns an issuer.
type Handle struct{ iss *Issuer }

func init() {
	runtime.SetFinalizer(&Handle{}, func(h *Handle) { // want `finalizer init.func1 takes Issuer.mu, which \(\*Issuer\).Renew \(timedz.go:\d+\) holds across \(\*timedx.Client\).Fetch \(timedz.go:\d+\) → \(\*http.Client\).Get`
		h.iss.mu.Lock()
		h.iss.mu.Unlock()
	})
}
