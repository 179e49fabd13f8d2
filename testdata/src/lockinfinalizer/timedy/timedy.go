// Package timedy fetches through timedx with a client that has a
// Timeout, kept in a field and handed to timedx.Client (certmagic's
// ACMEIssuer.httpClient): the request is bounded, so holding a lock
// across it is no evidence (see timedz for the twin).
package timedy

import (
	"net/http"
	"runtime"
	"sync"
	"time"

	"lockinfinalizer/timedx"
)

// Issuer fetches renewal information.
type Issuer struct {
	mu         sync.Mutex
	httpClient *http.Client
}

// NewIssuer gives the issuer a client with a timeout.
func NewIssuer() *Issuer {
	iss := &Issuer{}
	iss.httpClient = &http.Client{Timeout: 30 * time.Second}
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
	runtime.SetFinalizer(&Handle{}, func(h *Handle) {
		h.iss.mu.Lock()
		h.iss.mu.Unlock()
	})
}
