//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// TestNativeOIDCThroughKubectl: a kubeconfig as kubelogin's setup has one
// write it (kubectl oidc-login get-token …; kubelogin itself is not
// installed), switched by kcc-injector --native-oidc, gets a token from the
// real OP for the real kubectl, through kcc-cache and kcc-oidc found on
// PATH as the rewrite names them; -r then gives back the file's bytes.
func TestNativeOIDCThroughKubectl(t *testing.T) {
	t.Parallel()
	bins := buildOIDC(t)
	bin := t.TempDir()
	injector := testbin.Build(t, bin, "kcc-injector")
	for name, target := range map[string]string{"kcc-cache": kccBin, "kcc-oidc": bins.kccOIDC} {
		if err := os.Symlink(target, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	path := "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")

	op := oidcop.StartTest(t, oidcop.TestOptions{RedirectURIs: []string{"http://localhost"}})
	forFileBackend(t, func(t *testing.T, h *harness) {
		front := h.oidcServer(op.Issuer, "native")
		browserLog := filepath.Join(h.dir, "browser.log")
		kc := h.kubeconfig(execUser{
			apiVersion: "v1",
			command:    "kubectl",
			args: []string{"oidc-login", "get-token", "--oidc-issuer-url=" + op.Issuer, "--oidc-client-id=native",
				"--oidc-extra-scope=offline_access", "--listen-address=127.0.0.1:0", "--browser-command=" + bins.browser},
			env: map[string]string{oidcop.BrowserLogEnv: browserLog},
		})
		original, err := os.ReadFile(kc)
		if err != nil {
			t.Fatal(err)
		}

		r := h.run(h.env(path), "", injector, "--native-oidc", "-i", kc)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("kcc-injector --native-oidc:\n%v", r)
		}
		switched, err := os.ReadFile(kc)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(switched), `"kcc-oidc"`) || !strings.Contains(string(switched), `"command": "kcc-cache"`) {
			t.Fatalf("the user was not switched to kcc-cache kcc-oidc:\n%s", switched)
		}

		h.mustGetPods(kc, path)
		h.mustGetPods(kc, path)
		if n := lines(t, browserLog); n != 1 {
			t.Errorf("the browser opened %d times for two kubectl, want 1 (one login)", n)
		}
		users, _, refused := front.seen()
		if len(users) == 0 || len(refused) != 0 {
			t.Errorf("the API server let in %v and refused %v", users, refused)
		}

		if r := h.run(h.env(path), "", injector, "--native-oidc", "-i", kc); r.code != 0 || r.stderr != "" {
			t.Fatalf("second kcc-injector --native-oidc:\n%v", r)
		}
		if again, _ := os.ReadFile(kc); string(again) != string(switched) {
			t.Errorf("a second --native-oidc changed the file:\n%s", again)
		}
		if r := h.run(h.env(path), "", injector, "-r", "-i", kc); r.code != 0 || r.stderr != "" {
			t.Fatalf("kcc-injector -r:\n%v", r)
		}
		if back, _ := os.ReadFile(kc); string(back) != string(original) {
			t.Errorf("restored file differs from the original:\n%s\nwant\n%s", back, original)
		}
	})
}
