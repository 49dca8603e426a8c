// Package ranchertest is a local TLS stand-in of Rancher's v3 API for
// kcc-connect's tests: no Rancher server can run on the machines the tests
// run on (it needs a Kubernetes cluster of its own). It serves the shapes
// Rancher documents for what kcc-connect calls — the login action of the
// local, Active Directory and OpenLDAP auth providers, /v3/clusters as
// collections paged by pagination.next, a cluster's
// actions.generateKubeconfig answering a real kubeconfig (with authorized
// cluster endpoint contexts for the clusters that have one), /v3/tokens/NAME
// to read and revoke — and checks every token it receives: unknown,
// revoked or expired tokens get Rancher's 401. The clusters' Kubernetes API
// is served too (through Rancher's /k8s/clusters/ID proxy and at each ACE
// address), checking the kubeconfig token.
package ranchertest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Cluster is one cluster the stand-in manages.
type Cluster struct {
	ID, Name, State, Provider, KubernetesVersion string
	// ACENodes are the control-plane nodes of an authorized cluster
	// endpoint: Rancher names their contexts NAME-NODE.
	ACENodes []string
}

// Token is a token the stand-in issued.
type Token struct {
	Name, Secret, User string
	Kubeconfig         bool
	ExpiresAt          time.Time // zero: never
	Revoked            bool
}

// Value is the token as clients send it, NAME:SECRET.
func (t Token) Value() string { return t.Name + ":" + t.Secret }

// Server is the stand-in.
type Server struct {
	*httptest.Server
	// Users are username → password, per auth provider kind (local,
	// activedirectory, openldap).
	Users map[string]map[string]string
	// PageSize is the collections' page length.
	PageSize int
	// TTL is the lifetime of new tokens (0: they do not expire).
	TTL time.Duration
	// KubeconfigTTL, when not 0, is that of generateKubeconfig's tokens
	// (negative: issued expired).
	KubeconfigTTL time.Duration

	mu       sync.Mutex
	clusters []Cluster
	tokens   map[string]*Token
	n        int
	// Requests counts the requests per "METHOD PATH".
	Requests map[string]int
	// K8sCalls counts the Kubernetes API calls that passed the token check.
	K8sCalls int
}

// loginKinds maps the login paths to the auth provider kinds.
var loginKinds = map[string]string{
	"/v3-public/localProviders/local":                     "local",
	"/v3-public/activeDirectoryProviders/activedirectory": "activedirectory",
	"/v3-public/openLdapProviders/openldap":               "openldap",
}

// New starts the stand-in with these clusters; it stops with the test.
func New(t testing.TB, clusters ...Cluster) *Server {
	s := &Server{
		Users:    map[string]map[string]string{},
		PageSize: 2,
		TTL:      time.Hour,
		clusters: clusters,
		tokens:   map[string]*Token{},
		Requests: map[string]int{},
	}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// APIEndpoint is https://HOST/v3.
func (s *Server) APIEndpoint() string { return s.URL + "/v3" }

// CAPEM is the server certificate as PEM (it is its own CA).
func (s *Server) CAPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
}

// Tokens are the tokens issued so far.
func (s *Server) Tokens() []Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Token
	for _, t := range s.tokens {
		out = append(out, *t)
	}
	return out
}

// Expire makes every token issued so far expired.
func (s *Server) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		t.ExpiresAt = time.Now().Add(-time.Minute)
	}
}

func (s *Server) issue(user string, kubeconfig bool) *Token {
	s.n++
	prefix := "token-"
	if kubeconfig {
		prefix = "kubeconfig-" + user + "-"
	}
	secret := make([]byte, 24)
	_, _ = rand.Read(secret)
	t := &Token{Name: prefix + strconv.Itoa(s.n), Secret: hex.EncodeToString(secret), User: user, Kubeconfig: kubeconfig}
	ttl := s.TTL
	if kubeconfig && s.KubeconfigTTL != 0 {
		ttl = s.KubeconfigTTL
	}
	if ttl != 0 {
		t.ExpiresAt = time.Now().Add(ttl).UTC().Truncate(time.Second)
	}
	s.tokens[t.Name] = t
	return t
}

// valid is the token of an Authorization header, if it is one the
// stand-in issued and it is neither revoked nor expired.
func (s *Server) valid(r *http.Request) *Token {
	v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil
	}
	name, _, _ := strings.Cut(v, ":")
	t := s.tokens[name]
	if t == nil || t.Value() != v || t.Revoked || (!t.ExpiresAt.IsZero() && !time.Now().Before(t.ExpiresAt)) {
		return nil
	}
	return t
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func apiErr(w http.ResponseWriter, code int, c, msg string) {
	writeJSON(w, code, map[string]any{"type": "error", "status": strconv.Itoa(code), "code": c, "message": msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Requests[r.Method+" "+r.URL.Path]++
	path := r.URL.Path
	if kind, ok := loginKinds[path]; ok {
		s.login(w, r, kind)
		return
	}
	if rest, ok := strings.CutPrefix(path, "/k8s/clusters/"); ok {
		s.k8s(w, r, rest)
		return
	}
	if strings.HasPrefix(path, "/ace/") {
		s.k8s(w, r, "")
		return
	}
	if !strings.HasPrefix(path, "/v3/") {
		apiErr(w, http.StatusNotFound, "NotFound", "not found")
		return
	}
	tok := s.valid(r)
	if tok == nil || tok.Kubeconfig {
		// Rancher's answer to a missing, unknown, revoked or expired
		// token (a kubeconfig token is for the clusters only here).
		apiErr(w, http.StatusUnauthorized, "Unauthorized", "must authenticate")
		return
	}
	switch {
	case path == "/v3/clusters" && r.Method == http.MethodGet:
		s.list(w, r)
	case strings.HasPrefix(path, "/v3/clusters/"):
		s.cluster(w, r, tok, strings.TrimPrefix(path, "/v3/clusters/"))
	case strings.HasPrefix(path, "/v3/tokens/"):
		name := strings.TrimPrefix(path, "/v3/tokens/")
		t := s.tokens[name]
		if t == nil || t.User != tok.User {
			apiErr(w, http.StatusNotFound, "NotFound", "token not found")
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, s.tokenJSON(t, false))
		case http.MethodDelete:
			t.Revoked = true
			writeJSON(w, http.StatusOK, s.tokenJSON(t, false))
		default:
			apiErr(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "method not allowed")
		}
	default:
		apiErr(w, http.StatusNotFound, "NotFound", "not found")
	}
}

func (s *Server) tokenJSON(t *Token, withValue bool) map[string]any {
	m := map[string]any{"type": "token", "id": t.Name, "name": t.Name, "userId": t.User, "expired": false, "expiresAt": ""}
	if !t.ExpiresAt.IsZero() {
		m["expiresAt"] = t.ExpiresAt.Format(time.RFC3339)
		m["ttl"] = time.Until(t.ExpiresAt).Milliseconds()
	}
	if withValue {
		m["token"] = t.Value()
	}
	return m
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, kind string) {
	if r.Method != http.MethodPost || r.URL.Query().Get("action") != "login" {
		apiErr(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "want POST ?action=login")
		return
	}
	var body struct {
		Username, Password, ResponseType string
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiErr(w, http.StatusBadRequest, "InvalidBodyContent", "bad body")
		return
	}
	if pw, ok := s.Users[kind][body.Username]; !ok || pw != body.Password || pw == "" {
		apiErr(w, http.StatusUnauthorized, "Unauthorized", "authentication failed")
		return
	}
	writeJSON(w, http.StatusCreated, s.tokenJSON(s.issue(kind+"-"+body.Username, false), true))
}

func (s *Server) self(c Cluster) map[string]any {
	base := s.APIEndpoint() + "/clusters/" + c.ID
	return map[string]any{
		"type": "cluster", "id": c.ID, "name": c.Name, "state": c.State, "provider": c.Provider,
		"kubernetesVersion":        c.KubernetesVersion,
		"version":                  map[string]any{"gitVersion": c.KubernetesVersion},
		"links":                    map[string]any{"self": base},
		"actions":                  map[string]any{"generateKubeconfig": base + "?action=generateKubeconfig"},
		"localClusterAuthEndpoint": map[string]any{"enabled": len(c.ACENodes) > 0},
	}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	start, _ := strconv.Atoi(r.URL.Query().Get("marker"))
	end := min(start+s.PageSize, len(s.clusters))
	data := []any{}
	for _, c := range s.clusters[start:end] {
		data = append(data, s.self(c))
	}
	page := map[string]any{"limit": s.PageSize, "total": len(s.clusters)}
	if end < len(s.clusters) {
		page["next"] = fmt.Sprintf("%s/clusters?limit=%d&marker=%d", s.APIEndpoint(), s.PageSize, end)
	}
	writeJSON(w, http.StatusOK, map[string]any{"type": "collection", "resourceType": "cluster", "data": data, "pagination": page})
}

func (s *Server) find(id string) (Cluster, bool) {
	for _, c := range s.clusters {
		if c.ID == id {
			return c, true
		}
	}
	return Cluster{}, false
}

func (s *Server) cluster(w http.ResponseWriter, r *http.Request, tok *Token, id string) {
	c, ok := s.find(id)
	if !ok {
		apiErr(w, http.StatusNotFound, "NotFound", "clusters.management.cattle.io \""+id+"\" not found")
		return
	}
	switch {
	case r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.self(c))
	case r.Method == http.MethodPost && r.URL.Query().Get("action") == "generateKubeconfig":
		kt := s.issue(tok.User, true)
		writeJSON(w, http.StatusOK, map[string]any{"type": "generateKubeConfigOutput", "config": s.kubeconfig(c, kt)})
	default:
		apiErr(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "method not allowed")
	}
}

// kubeconfig is what Rancher's generateKubeconfig writes: the cluster
// through Rancher, then one cluster and context per ACE node, one user
// with the token, current-context the cluster's name.
func (s *Server) kubeconfig(c Cluster, t *Token) string {
	ca := base64.StdEncoding.EncodeToString(s.CAPEM())
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: v1\nkind: Config\nclusters:\n- name: %q\n  cluster:\n    server: %q\n    certificate-authority-data: %q\n", c.Name, s.URL+"/k8s/clusters/"+c.ID, ca)
	for _, n := range c.ACENodes {
		fmt.Fprintf(&b, "- name: %q\n  cluster:\n    server: %q\n    certificate-authority-data: %q\n", c.Name+"-"+n, s.URL+"/ace/"+c.ID+"/"+n, ca)
	}
	fmt.Fprintf(&b, "\nusers:\n- name: %q\n  user:\n    token: %q\n\n", c.Name, t.Value())
	fmt.Fprintf(&b, "contexts:\n- name: %q\n  context:\n    user: %q\n    cluster: %q\n", c.Name, c.Name, c.Name)
	for _, n := range c.ACENodes {
		fmt.Fprintf(&b, "- name: %q\n  context:\n    user: %q\n    cluster: %q\n", c.Name+"-"+n, c.Name, c.Name+"-"+n)
	}
	fmt.Fprintf(&b, "\ncurrent-context: %q\n", c.Name)
	return b.String()
}

// k8s is a cluster's API: /version for a valid kubeconfig token.
func (s *Server) k8s(w http.ResponseWriter, r *http.Request, _ string) {
	t := s.valid(r)
	if t == nil || !t.Kubeconfig {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
		return
	}
	s.K8sCalls++
	if strings.HasSuffix(r.URL.Path, "/version") {
		writeJSON(w, http.StatusOK, map[string]any{"major": "1", "minor": "31", "gitVersion": "v1.31.4-rancher-test", "platform": "linux/amd64"})
		return
	}
	writeJSON(w, http.StatusNotFound, map[string]any{"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404})
}
