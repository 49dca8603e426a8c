package rancher

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestEndpoint: only https://HOST/v3, without user info, query or fragment.
func TestEndpoint(t *testing.T) {
	for _, tc := range []struct {
		endpoint string
		ok       bool
	}{
		{"https://rancher.example/v3", true},
		{"https://rancher.example/v3/", true},
		{"https://rancher.example:8443/prefix/v3", true},
		{"http://rancher.example/v3", false},
		{"https://rancher.example", false},
		{"https://rancher.example/v1", false},
		{"https://user:pw@rancher.example/v3", false},
		{"https://rancher.example/v3?x=1", false},
		{"rancher.example/v3", false},
	} {
		if err := CheckEndpoint(tc.endpoint); (err == nil) != tc.ok {
			t.Errorf("CheckEndpoint(%q) = %v, want ok %v", tc.endpoint, err, tc.ok)
		}
	}
}

// TestTokenStaysOnItsServer: a pagination.next or an action URL on another
// host is refused before anything is sent there, and a redirect is not
// followed: the bearer token goes only to the endpoint's host.
func TestTokenStaysOnItsServer(t *testing.T) {
	var elsewhere int
	other := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere++ }))
	defer other.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v3/clusters":
			_ = json.NewEncoder(w).Encode(map[string]any{"data": []any{}, "pagination": map[string]any{"next": other.URL + "/v3/clusters?marker=2"}})
		case r.URL.Path == "/v3/clusters/c-1":
			http.Redirect(w, r, other.URL+"/v3/clusters/c-1", http.StatusFound)
		}
	}))
	defer srv.Close()
	c, err := newClient(srv.Client(), srv.URL+"/v3", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.clusters(ctx, "token-1:secret"); err == nil || !strings.Contains(err.Error(), "another server") {
		t.Errorf("clusters: %v, want a refusal", err)
	}
	if _, err := c.generateKubeconfig(ctx, "token-1:secret", apiCluster{ID: "c-1", Actions: map[string]string{"generateKubeconfig": other.URL + "/v3/clusters/c-1?action=generateKubeconfig"}}); err == nil || !strings.Contains(err.Error(), "another server") {
		t.Errorf("generateKubeconfig: %v, want a refusal", err)
	}
	if _, err := c.cluster(ctx, "token-1:secret", "c-1"); err == nil {
		t.Errorf("a redirect was followed")
	}
	if elsewhere != 0 {
		t.Errorf("%d requests reached the other server", elsewhere)
	}
}

// TestKubeconfigRefusesWhatItWouldLose: a field of Rancher's kubeconfig
// that the entries would not carry (a proxy-url) is an error naming it,
// and no token is kept or left pending.
func TestKubeconfigRefusesWhatItWouldLose(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer token-1:secret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/v3/clusters/c-1":
			_ = json.NewEncoder(w).Encode(map[string]any{"id": "c-1", "name": "one", "state": "active",
				"actions": map[string]any{"generateKubeconfig": srv.URL + "/v3/clusters/c-1?action=generateKubeconfig"}})
		case r.Method == http.MethodPost && r.URL.Query().Get("action") == "generateKubeconfig":
			_ = json.NewEncoder(w).Encode(map[string]any{"config": "apiVersion: v1\nkind: Config\nclusters:\n- name: one\n  cluster:\n    server: https://x\n    proxy-url: http://proxy:3128\nusers:\n- name: one\n  user:\n    token: kubeconfig-u-1:s\ncontexts:\n- name: one\n  context:\n    cluster: one\n    user: one\ncurrent-context: one\n"})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	p := New(Options{APIEndpoint: srv.URL + "/v3", AuthProvider: AuthToken, Token: "token-1:secret", HTTPClient: srv.Client()})
	_, err := p.Kubeconfig(context.Background(), "c-1")
	if err == nil || !strings.Contains(err.Error(), "proxy-url") || !strings.Contains(err.Error(), "nothing written") {
		t.Errorf("Kubeconfig: %v, want a refusal naming proxy-url", err)
	}
	if len(p.pending) != 0 || len(p.plain) != 0 {
		t.Errorf("a token was kept: %d pending", len(p.pending))
	}
}
