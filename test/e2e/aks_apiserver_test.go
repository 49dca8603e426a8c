//go:build unix

package e2e

import (
	"crypto/tls"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/azuretest"
)

// entraFront authenticates bearer tokens as an AKS API server with Entra
// ID integration does: an RS256 signature by the tenant's key, the
// tenant's issuer, aud = the cluster's server application ID, exp. It
// records who got in and what was refused.
type entraFront struct {
	mu       sync.Mutex
	users    []string
	expiries []time.Time
	refused  []string
}

func (f *entraFront) seen() (users []string, expiries []time.Time, refused []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.users...), append([]time.Time(nil), f.expiries...), append([]string(nil), f.refused...)
}

// entraServer replaces the harness's API server by one that takes Entra
// ID tokens from e for serverID.
func (h *harness) entraServer(e *azuretest.Entra, serverID string) *entraFront {
	h.t.Helper()
	front := &entraFront{}
	s := &apiServer{tokens: map[string]bool{}, certs: map[[32]byte]bool{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			c, err := e.Verify(raw, serverID)
			front.mu.Lock()
			if err != nil {
				front.refused = append(front.refused, err.Error())
			} else {
				front.users = append(front.users, c.ObjectID)
				front.expiries = append(front.expiries, c.Expiry)
				s.acceptToken(raw)
			}
			front.mu.Unlock()
		}
		s.serve(w, r)
	}))
	s.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	s.Config.ErrorLog = log.New(handshakeFilter{}, "", log.LstdFlags)
	s.StartTLS()
	h.t.Cleanup(s.Close)
	h.srv = s
	return front
}
