//go:build unix

package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
)

// TestOIDCSecretsStayInTheStore: after a login, hits, a forced refresh,
// --list, --info and clean, with debug output on, no id_token, refresh
// token, client secret or password appears on any stderr or in any file
// but the stores (and the kubeconfig the user wrote the secret into).
func TestOIDCSecretsStayInTheStore(t *testing.T) {
	t.Parallel()
	bins := buildOIDC(t)
	clientSecret := "client-secret-" + strings.Repeat("7f3a", 4)
	// The web client's redirect must match exactly: a fixed port.
	port := oidcop.FreePort(t)
	op := oidcop.StartTest(t, oidcop.TestOptions{RedirectURIs: []string{"http://localhost:" + itoa(port)}, WebSecret: clientSecret})
	forFileBackend(t, func(t *testing.T, h *harness) {
		h.oidcServer(op.Issuer, "web")
		browserLog := filepath.Join(h.dir, "browser.log")
		args := []string{"--oidc-issuer-url", op.Issuer, "--oidc-client-id", "web", "--oidc-client-secret", clientSecret,
			"--oidc-extra-scope", "offline_access", "--listen-address", "127.0.0.1:" + itoa(port)}
		kc := h.kubeconfig(bins.user(browserLog, args...))
		debug := "KUBE_CREDENTIAL_CACHE_DEBUG=1"

		var stderrs []string
		for range 2 {
			stderrs = append(stderrs, h.mustGetPods(kc, debug).stderr)
		}
		refreshToken1 := storedRefreshToken(t, h)
		forced := h.run(h.env(debug), "", bins.kccOIDC, append([]string{"get-token", "--force-refresh"}, args...)...)
		if forced.code != 0 {
			t.Fatalf("kcc-oidc get-token --force-refresh:\n%v", forced)
		}
		stderrs = append(stderrs, forced.stderr)
		refreshToken2 := storedRefreshToken(t, h)
		for _, a := range [][]string{{"--list"}, {"--info"}} {
			r := h.run(h.env(debug), "", kccBin, a...)
			stderrs = append(stderrs, r.stdout, r.stderr)
		}

		h.srv.mu.Lock()
		secrets := []string{clientSecret, refreshToken1, refreshToken2, oidcop.UserPassword}
		for tok := range h.srv.tokens {
			secrets = append(secrets, tok)
		}
		h.srv.mu.Unlock()
		if len(secrets) < 5 {
			t.Fatalf("the API server saw no token")
		}
		for i, out := range stderrs {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("output %d holds a secret (%.8s…):\n%s", i, s, out)
				}
			}
		}
		checkFiles(t, h, secrets)

		clean := h.run(h.env(), "", bins.kccOIDC, "clean")
		if clean.code != 0 || !strings.Contains(clean.stdout, "removed 1 ") {
			t.Errorf("kcc-oidc clean:\n%v", clean)
		}
		if rt := storedRefreshTokenOrEmpty(t, h); rt != "" {
			t.Error("kcc-oidc clean left the refresh token in the store")
		}
	})
}

// checkFiles fails the test for each file under the harness's directory,
// but the stores' entries and the kubeconfigs, that holds one of secrets.
func checkFiles(t *testing.T, h *harness, secrets []string) {
	t.Helper()
	entries := filepath.Join(h.cacheFile+".d", "entries")
	_ = filepath.WalkDir(h.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if strings.HasPrefix(p, entries+string(filepath.Separator)) || strings.HasPrefix(d.Name(), "kubeconfig-") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds a secret (%.8s…)", p, s)
			}
		}
		return nil
	})
}

// storedRefreshToken is the refresh token kcc-oidc keeps in the harness's
// file store.
func storedRefreshToken(t *testing.T, h *harness) string {
	t.Helper()
	rt := storedRefreshTokenOrEmpty(t, h)
	if rt == "" {
		t.Fatal("no refresh token in the store")
	}
	return rt
}

func storedRefreshTokenOrEmpty(t *testing.T, h *harness) string {
	t.Helper()
	dir := filepath.Join(h.cacheFile+".d", "entries")
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			continue
		}
		_, value, ok := strings.Cut(string(b), `"refresh_token":"`)
		if !ok {
			continue
		}
		rt, _, _ := strings.Cut(value, `"`)
		return rt
	}
	return ""
}
