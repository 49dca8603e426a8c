package main

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// TestAuthCodePKCE logs in with the public client "native" (PKCE, loopback
// redirect on port 0) at the real provider, then serves the stored id_token
// without a login.
func TestAuthCodePKCE(t *testing.T) {
	t.Parallel()
	op := oidcop.StartExample(t, "http://localhost")
	f := newFixture(t)
	args := []string{"get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native", "--listen-address", "127.0.0.1:0"}

	r := f.run(args...)
	apiVersion, tok, exp := credential(t, r)
	if apiVersion != execcred.APIVersionV1beta1 {
		t.Errorf("apiVersion %q, want %q without KUBERNETES_EXEC_INFO", apiVersion, execcred.APIVersionV1beta1)
	}
	c := claims(t, tok)
	if c["iss"] != op.Issuer || c["aud"] == nil {
		t.Errorf("id_token claims %v: want iss %s", c, op.Issuer)
	}
	if want := time.Unix(int64(c["exp"].(float64)), 0); !exp.Equal(want) {
		t.Errorf("expirationTimestamp %s, want the id_token's exp %s", exp, want)
	}
	if f.opens.Load() != 1 {
		t.Fatalf("browser opened %d times, want 1", f.opens.Load())
	}

	f.env[execcred.ExecInfoEnv] = `{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`
	r = f.run(args...)
	apiVersion, tok2, _ := credential(t, r)
	if tok2 != tok || apiVersion != execcred.APIVersionV1 {
		t.Errorf("second run: apiVersion %q, same token %v; want the stored token as %s", apiVersion, tok2 == tok, execcred.APIVersionV1)
	}
	if f.opens.Load() != 1 {
		t.Errorf("second run opened the browser; want the stored token")
	}
	if r.stderr != "" {
		t.Errorf("second run wrote to stderr: %s", r.stderr)
	}
}

// TestListenAddressFallback: a busy first --listen-address is skipped for
// the next one, as kubelogin does.
func TestListenAddressFallback(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	op := oidcop.StartExample(t, "http://localhost")
	f := newFixture(t)
	r := f.run("get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native",
		"--listen-address", busy.Addr().String(), "--listen-address", "127.0.0.1:0")
	credential(t, r)
	if strings.Contains(r.stderr, "redirect_uri=http%3A%2F%2Flocalhost%3A"+itoa(busy.Addr().(*net.TCPAddr).Port)+"&") {
		t.Errorf("the busy address was used:\n%s", r.stderr)
	}
}
