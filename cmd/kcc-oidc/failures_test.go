package main

import (
	"encoding/base64"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/localserver"
	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// TestProviderFailures: each bad provider or answer is one line on stderr,
// exit 1, and nothing stored.
func TestProviderFailures(t *testing.T) {
	t.Parallel()
	closed := closedPort(t)
	hung := hungServer(t)
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	otherIssuer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"issuer":"https://elsewhere.example/","authorization_endpoint":"https://elsewhere.example/auth","token_endpoint":"https://elsewhere.example/token","jwks_uri":"https://elsewhere.example/keys","id_token_signing_alg_values_supported":["RS256"]}`))
	}))
	t.Cleanup(otherIssuer.Close)
	var plainToken *httptest.Server
	plainToken = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"issuer":"` + plainToken.URL + `/","authorization_endpoint":"` + plainToken.URL + `/auth","token_endpoint":"http://token.example/token","jwks_uri":"` + plainToken.URL + `/keys","id_token_signing_alg_values_supported":["RS256"]}`))
	}))
	t.Cleanup(plainToken.Close)

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		issuer string
		extra  []string
		want   string
	}{
		{"trusted certificate authority file, no provider", tlsSrv.URL + "/", []string{"--certificate-authority", caFile}, "404 Not Found"},
		{"TLS not verified, no provider", tlsSrv.URL + "/", []string{"--insecure-skip-tls-verify"}, "404 Not Found"},
		{"unreachable issuer", "http://127.0.0.1:" + itoa(closed) + "/", nil, "could not discover the provider http://127.0.0.1:" + itoa(closed) + "/"},
		{"issuer that never answers", hung, nil, "could not discover the provider " + hung},
		{"unknown certificate authority", tlsSrv.URL + "/", nil, "certificate signed by unknown authority"},
		{"discovery names another issuer", otherIssuer.URL + "/", nil, "names another issuer (https://elsewhere.example/)"},
		{"token endpoint over http to another host", plainToken.URL + "/", nil, "gives an insecure token_endpoint (http://token.example/token)"},
		{"trusted certificate authority, no provider", tlsSrv.URL + "/", []string{"--certificate-authority-data", base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}))}, "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			start := time.Now()
			r := f.run(append([]string{"get-token", "--oidc-issuer-url", tt.issuer, "--oidc-client-id", "native"}, tt.extra...)...)
			wantOneLine(t, r, 1, tt.want)
			if f.storedEntries() != 0 || f.opens.Load() != 0 {
				t.Errorf("stored %d entries, opened the browser %d times; want none", f.storedEntries(), f.opens.Load())
			}
			// Not a timing assertion: a hang would end at the test's
			// deadline instead; this names the bound that was exceeded.
			if d := time.Since(start); d > time.Minute {
				t.Errorf("took %s, past the bound of one request", d)
			}
		})
	}
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// hungServer accepts connections and never answers.
func hungServer(t *testing.T) string {
	return "http://" + localserver.Silent(t, "tcp", "127.0.0.1:0") + "/"
}

// TestDeniedDeviceLogin: the user denies the device login at the provider.
func TestDeniedDeviceLogin(t *testing.T) {
	t.Parallel()
	op := oidcop.StartTest(t, oidcop.TestOptions{})
	f := newFixture(t)
	f.deny = true
	r := f.run("get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "device",
		"--oidc-client-secret", oidcop.ClientSecret, "--grant-type", "device-code")
	wantOneLine(t, r, 1, "device login failed: the provider answered access_denied")
	if f.storedEntries() != 0 {
		t.Error("a denied login stored something")
	}
}

// TestPasswordAndClientCredentialsAtExampleOP: the example provider offers
// no ROPC, and answers client credentials without an id_token: each is one
// line, nothing stored.
func TestPasswordAndClientCredentialsAtExampleOP(t *testing.T) {
	t.Parallel()
	op := oidcop.StartExample(t, "http://localhost")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"password", []string{"--oidc-client-id", "web", "--oidc-client-secret", oidcop.ClientSecret, "--username", oidcop.User, "--password", oidcop.UserPassword},
			"password login failed: the provider answered unsupported_grant_type"},
		{"client credentials", []string{"--oidc-client-id", oidcop.ServiceUser, "--oidc-client-secret", oidcop.ServiceSecret, "--grant-type", "client-credentials"},
			"answered the client-credentials grant without an id_token"},
		{"client credentials, wrong secret", []string{"--oidc-client-id", oidcop.ServiceUser, "--oidc-client-secret", "wrong", "--grant-type", "client-credentials"},
			"client credentials login failed: the provider answered invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			r := f.run(append([]string{"get-token", "--oidc-issuer-url", op.Issuer}, tt.args...)...)
			wantOneLine(t, r, 1, tt.want)
			if f.storedEntries() != 0 {
				t.Error("stored something")
			}
		})
	}
}

// TestRevokedRefreshToken: a refresh token the provider revoked is refused;
// without a way to log in the run says what to run, and with a browser it
// logs in again.
func TestRevokedRefreshToken(t *testing.T) {
	t.Parallel()
	op := oidcop.StartExample(t, "http://localhost")
	f := newFixture(t)
	args := []string{"get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native",
		"--oidc-extra-scope", "offline_access", "--listen-address", "127.0.0.1:0"}
	_, tok, exp := credential(t, f.run(args...))
	revokeStored(t, f, op.Issuer, "native")

	f.now = func() time.Time { return exp.Add(-20 * time.Second) }
	// kubectl without a terminal, and a grant that reads one (the grant
	// is not part of the store key: the same stored tokens).
	f.env[execcred.ExecInfoEnv] = `{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`
	r := f.run(append(args, "--grant-type", "authcode-keyboard")...)
	wantOneLine(t, r, 1, "the stored refresh token was refused (refresh: the provider answered invalid_grant")
	if !strings.Contains(r.stderr, "run kcc-oidc get-token --oidc-issuer-url="+op.Issuer) {
		t.Errorf("the line does not say what to run:\n%s", r.stderr)
	}
	// The refused tokens are forgotten: the next run says what to run
	// without sending the refresh token again.
	if n := f.storedEntries(); n != 0 {
		t.Errorf("%d entries after the refresh was refused, want the tokens forgotten", n)
	}
	r = f.run(append(args, "--grant-type", "authcode-keyboard")...)
	wantOneLine(t, r, 1, "a login is needed and authcode-keyboard reads the code from a terminal")

	_, again, _ := credential(t, f.run(args...))
	if again == tok || f.opens.Load() != 2 {
		t.Errorf("after a refused refresh with a browser: new token %v, %d logins; want a new login", again != tok, f.opens.Load())
	}
}

// revokeStored revokes the refresh token kcc-oidc stored, at the provider's
// revocation endpoint, as an administrator (or the user logging out) would.
func revokeStored(t *testing.T, f *fixture, issuer, clientID string) {
	t.Helper()
	rt := f.storedRefreshToken()
	resp, err := http.PostForm(issuer+"revoke", url.Values{"token": {rt}, "token_type_hint": {"refresh_token"}, "client_id": {clientID}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %s", resp.Status)
	}
}
