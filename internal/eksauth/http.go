package eksauth

import (
	"errors"
	"net/http"
	"strings"
)

// Authenticate verifies the bearer token of r.
func (v *Verifier) Authenticate(r *http.Request) (Identity, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return Identity{}, errors.New("no bearer token")
	}
	return v.Verify(tok)
}

// Middleware lets a request through to next only with a valid token, and
// answers 401 with a Kubernetes Status otherwise, as an API server does.
// refused, when not nil, is told why (for the test's log; it never sees the
// token).
func (v *Verifier) Middleware(next http.Handler, refused func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := v.Authenticate(r); err != nil {
			if refused != nil {
				refused(err)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}` + "\n"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Keys is a Secret function for a fixed set of access key id → secret.
func Keys(m map[string]string) func(string) (string, bool) {
	return func(id string) (string, bool) {
		s, ok := m[id]
		return s, ok
	}
}
