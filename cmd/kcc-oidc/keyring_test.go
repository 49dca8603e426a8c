package main

import (
	"os"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend"
)

// TestKeyringStore: with KUBE_CREDENTIAL_CACHE_BACKEND=keyring the tokens go
// to the OS secret store (no entry file), are served from it, and clean
// removes them. Needs a usable secret store (scripts/test.sh runs the tests
// in a D-Bus session with gnome-keyring; KCC_REQUIRE_KEYRING=1 makes its
// absence a failure).
func TestKeyringStore(t *testing.T) {
	f := newFixture(t)
	f.env[envBackend] = "keyring"
	choice, err := backend.Open(backend.Options{Kind: "keyring", File: f.env[envFile]})
	if err != nil || choice.Warning != "" {
		if os.Getenv("KCC_REQUIRE_KEYRING") == "1" {
			t.Fatalf("KCC_REQUIRE_KEYRING=1 but the secret store is unusable: %v %s", err, choice.Warning)
		}
		t.Skipf("the OS secret store is unusable (KCC_REQUIRE_KEYRING=1 makes this a failure): %v %s", err, choice.Warning)
	}
	op := oidcop.StartExample(t, "http://localhost")
	args := []string{"get-token", "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native", "--listen-address", "127.0.0.1:0"}
	_, tok, _ := credential(t, f.run(args...))
	if n := f.storedEntries(); n != 0 {
		t.Errorf("%d entry files with the keyring backend, want the secret store only", n)
	}
	if _, again, _ := credential(t, f.run(args...)); again != tok || f.opens.Load() != 1 {
		t.Errorf("second run: same token %v, %d logins; want the stored token", again == tok, f.opens.Load())
	}
	if r := f.run("clean"); r.code != 0 || r.stdout != "removed 1 stored token set(s)\n" {
		t.Errorf("clean: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	credential(t, f.run(args...))
	if f.opens.Load() != 2 {
		t.Errorf("after clean: %d logins, want a new one", f.opens.Load())
	}
	f.run("clean")
}
