//go:build unix

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// TestConnectOIDCThroughKubectl: kcc-connect use writes an entry from a
// cluster list, and the real kubectl with that kubeconfig alone runs
// kcc-cache → kcc-oidc (found on PATH, as a user has them) against the
// real OP, into an API server that checks the id_token.
func TestConnectOIDCThroughKubectl(t *testing.T) {
	t.Parallel()
	bins := buildOIDC(t)
	kccConnect := testbin.Build(t, t.TempDir(), "kcc-connect")
	op := oidcop.StartExample(t, "http://localhost")
	forFileBackend(t, func(t *testing.T, h *harness) {
		front := h.oidcServer(op.Issuer, "native")
		// The programs by the names the entry uses; the test browser is
		// xdg-open, which kcc-oidc runs when a display is set.
		bin := filepath.Join(h.dir, "bin")
		if err := os.Mkdir(bin, 0o700); err != nil {
			t.Fatal(err)
		}
		for name, target := range map[string]string{"kcc-cache": kccBin, "kcc-oidc": bins.kccOIDC, "xdg-open": bins.browser} {
			if err := os.Symlink(target, filepath.Join(bin, name)); err != nil {
				t.Fatal(err)
			}
		}
		browserLog := filepath.Join(h.dir, "browser.log")
		userEnv := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "DISPLAY=:0", oidcop.BrowserLogEnv + "=" + browserLog}

		list, err := json.Marshal(map[string]any{"clusters": []any{map[string]any{
			"id": "e2e", "name": "team", "server": h.srv.URL, "caData": b64(h.srv.caData()),
			"issuerUrl": op.Issuer, "clientId": "native", "extraScopes": []string{"offline_access"},
			"labels": map[string]string{"env": "test"},
		}}})
		if err != nil {
			t.Fatal(err)
		}
		listFile := filepath.Join(h.dir, "clusters.json")
		if err := os.WriteFile(listFile, list, 0o600); err != nil {
			t.Fatal(err)
		}
		kc := filepath.Join(h.dir, "kubeconfig")
		connectEnv := h.env("KCC_CONNECT_NO_VERSION_CHECK=1", "KCC_CONNECT_CONFIG="+filepath.Join(h.dir, "connect.yaml"),
			"KCC_CONNECT_HISTORY_FILE="+filepath.Join(h.dir, "history.yaml"))
		if r := h.run(connectEnv, "", kccConnect, "use", "--all", "--label", "env=test", "--config-url", listFile, "-k", kc); r.code != 0 || !strings.Contains(r.stdout, `current-context is "team"`) {
			t.Fatalf("kcc-connect use:\n%v", r)
		}

		h.mustGetPods(kc, userEnv...)
		if n := lines(t, browserLog); n != 1 {
			t.Fatalf("the browser opened %d times for the first kubectl, want 1", n)
		}
		h.mustGetPods(kc, userEnv...)
		if n := lines(t, browserLog); n != 1 {
			t.Errorf("the browser opened %d times in all, want 1 (the second kubectl a cache hit)", n)
		}
		users, _, refused := front.seen()
		if len(refused) != 0 || len(users) == 0 {
			t.Errorf("the API server let in %v and refused %v", users, refused)
		}
	})
}
