//go:build unix

package e2e

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

// apiServer is the smallest Kubernetes API server kubectl is happy with for
// `get pods` and `get --raw /version`. It authenticates every request by bearer
// token or client certificate against sets the test changes at run time.
type apiServer struct {
	*httptest.Server

	mu           sync.Mutex
	tokens       map[string]bool
	prefixes     []string
	certs        map[[32]byte]bool
	unauthorized int
	authorized   int
}

func newAPIServer(t *testing.T) *apiServer {
	t.Helper()
	s := &apiServer{tokens: map[string]bool{}, certs: map[[32]byte]bool{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// Ask for (but do not verify against a CA) a client certificate: the
	// handler checks it against the certificates the test accepted.
	s.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	s.Config.ErrorLog = log.New(handshakeFilter{}, "", log.LstdFlags)
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// handshakeFilter drops the server's "TLS handshake error" lines: kubectl
// processes that end (or are killed) mid-connection cause them, and they say
// nothing about kcc-cache. Any other server error still reaches stderr.
type handshakeFilter struct{}

func (handshakeFilter) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("TLS handshake error")) {
		return len(p), nil
	}
	return os.Stderr.Write(p)
}

// caData is the PEM of the server's certificate, for certificate-authority-data.
func (s *apiServer) caData() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

func (s *apiServer) acceptToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = true
}

func (s *apiServer) revokeToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, tok)
}

func (s *apiServer) acceptTokenPrefix(prefix string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prefixes = append(s.prefixes, prefix)
}

func (s *apiServer) acceptCert(der []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.certs[sha256.Sum256(der)] = true
}

// counts reports how many requests were let in and how many got a 401.
func (s *apiServer) counts() (authorized, unauthorized int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authorized, s.unauthorized
}

func (s *apiServer) allowed(r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := false
	if tok, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found {
		ok = s.tokens[tok]
		for _, p := range s.prefixes {
			ok = ok || strings.HasPrefix(tok, p)
		}
	}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		ok = ok || s.certs[sha256.Sum256(r.TLS.PeerCertificates[0].Raw)]
	}
	if ok {
		s.authorized++
	} else {
		s.unauthorized++
	}
	return ok
}

func (s *apiServer) serve(w http.ResponseWriter, r *http.Request) {
	if !s.allowed(r) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{
			"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
			"status": "Failure", "message": "Unauthorized", "reason": "Unauthorized", "code": 401,
		})
		return
	}
	switch r.URL.Path {
	case "/version":
		writeJSON(w, http.StatusOK, map[string]any{
			"major": "1", "minor": "32", "gitVersion": "v1.32.0", "gitCommit": "e2e",
			"gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z",
			"goVersion": "go1.26", "compiler": "gc", "platform": "linux/amd64",
		})
	case "/api":
		writeJSON(w, http.StatusOK, map[string]any{
			"kind": "APIVersions", "versions": []string{"v1"},
			"serverAddressByClientCIDRs": []map[string]string{{"clientCIDR": "0.0.0.0/0", "serverAddress": r.Host}},
		})
	case "/apis":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": []any{}})
	case "/api/v1":
		writeJSON(w, http.StatusOK, map[string]any{
			"kind": "APIResourceList", "groupVersion": "v1",
			"resources": []map[string]any{{
				"name": "pods", "singularName": "pod", "namespaced": true, "kind": "Pod",
				"verbs": []string{"get", "list"}, "shortNames": []string{"po"},
			}},
		})
	case "/api/v1/namespaces/default/pods":
		s.pods(w, r)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{
			"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
			"status": "Failure", "message": fmt.Sprintf("%s not found", r.URL.Path), "reason": "NotFound", "code": 404,
		})
	}
}

// podName is the one pod the server lists; kubectl's output must show it.
const podName = "e2e-pod"

func (s *apiServer) pods(w http.ResponseWriter, r *http.Request) {
	meta := map[string]any{"name": podName, "namespace": "default", "uid": "e2e-uid", "creationTimestamp": "2025-01-01T00:00:00Z"}
	if !strings.Contains(r.Header.Get("Accept"), "as=Table") {
		writeJSON(w, http.StatusOK, map[string]any{
			"kind": "PodList", "apiVersion": "v1", "metadata": map[string]any{"resourceVersion": "1"},
			"items": []map[string]any{{"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": map[string]any{}, "status": map[string]any{"phase": "Running"}}},
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": map[string]any{"resourceVersion": "1"},
		"columnDefinitions": []map[string]any{
			{"name": "Name", "type": "string", "format": "name", "description": "Name", "priority": 0},
			{"name": "Status", "type": "string", "format": "", "description": "Phase", "priority": 0},
		},
		"rows": []map[string]any{{
			"cells":  []any{podName, "Running"},
			"object": map[string]any{"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta},
		}},
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
