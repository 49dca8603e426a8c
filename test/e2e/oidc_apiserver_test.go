//go:build unix

package e2e

import (
	"context"
	"crypto/tls"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// oidcFront authenticates bearer tokens as kube-apiserver's OIDC
// authenticator does (--oidc-issuer-url, --oidc-client-id, the default
// username claim sub): the signature against the issuer's JWKS, iss, aud =
// the client id, exp. It records who got in and what was refused.
type oidcFront struct {
	mu       sync.Mutex
	users    []string
	expiries []time.Time
	refused  []string
}

func (f *oidcFront) seen() (users []string, expiries []time.Time, refused []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.users...), append([]time.Time(nil), f.expiries...), append([]string(nil), f.refused...)
}

// oidcServer replaces the harness's API server by one behind an OIDC
// authenticator for issuer and clientID.
func (h *harness) oidcServer(issuer, clientID string) *oidcFront {
	h.t.Helper()
	// The provider fetches its keys later with this context: the test's.
	provider, err := oidc.NewProvider(h.t.Context(), issuer)
	if err != nil {
		h.t.Fatalf("API server: discover %s: %v", issuer, err)
	}
	verifier := provider.Verifier(&oidc.Config{ClientID: clientID})
	front := &oidcFront{}
	s := &apiServer{tokens: map[string]bool{}, certs: map[[32]byte]bool{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			// Not the request's context: a client that goes away while the
			// first verification fetches the keys would otherwise turn into a
			// refusal of a good token (go-oidc's waiters return ctx.Err()).
			ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 30*time.Second)
			tok, err := verifier.Verify(ctx, raw)
			cancel()
			front.mu.Lock()
			if err != nil {
				front.refused = append(front.refused, err.Error())
			} else {
				front.users = append(front.users, tok.Subject)
				front.expiries = append(front.expiries, tok.Expiry)
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
