//go:build unix

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// oidcBins are kcc-oidc and the test browser, built for one test.
type oidcBins struct{ kccOIDC, browser string }

func buildOIDC(t *testing.T) oidcBins {
	t.Helper()
	dir := t.TempDir()
	browser := filepath.Join(dir, "testbrowser")
	if out, err := exec.Command("go", "build", "-o", browser, testbin.Module+"/internal/oidcop/testbrowser").CombinedOutput(); err != nil {
		t.Fatalf("go build testbrowser: %v\n%s", err, out)
	}
	return oidcBins{kccOIDC: testbin.Build(t, dir, "kcc-oidc"), browser: browser}
}

// oidcUser is the exec user kcc-cache → kcc-oidc get-token with args, the
// test browser as --browser-command, logging each browser start to log.
func (b oidcBins) user(log string, args ...string) execUser {
	return execUser{
		args: append([]string{b.kccOIDC, "get-token", "--browser-command", b.browser}, args...),
		env:  map[string]string{oidcop.BrowserLogEnv: log},
	}
}

// lines is how many lines file holds (0 when it does not exist).
func lines(t *testing.T, file string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}

// TestOIDCThroughKubectl: kubectl → kcc-cache → kcc-oidc → an API server
// that authenticates id_tokens as kube-apiserver does, with the real OP.
func TestOIDCThroughKubectl(t *testing.T) {
	t.Parallel()
	bins := buildOIDC(t)

	t.Run("login once, hits without the OP, one refresh after expiry", func(t *testing.T) {
		t.Parallel()
		// 45 s id_tokens: kcc-cache and kcc-oidc both treat the last 30 s
		// as expired, so a token is fresh for 15 s.
		op := oidcop.StartTest(t, oidcop.TestOptions{RedirectURIs: []string{"http://localhost"}, IDTokenLifetime: 45 * time.Second})
		forFileBackend(t, func(t *testing.T, h *harness) {
			front := h.oidcServer(op.Issuer, "native")
			browserLog := filepath.Join(h.dir, "browser.log")
			kc := h.kubeconfig(bins.user(browserLog, "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "native",
				"--oidc-extra-scope", "offline_access", "--listen-address", "127.0.0.1:0"))

			h.mustGetPods(kc)
			if n := lines(t, browserLog); n != 1 {
				t.Fatalf("the browser opened %d times for the first kubectl, want 1", n)
			}
			tokens := op.TokenRequests(t)
			h.mustGetPods(kc)
			if r := h.kubectl(kc, nil, "get", "--raw", "/version"); r.code != 0 {
				t.Fatalf("kubectl get --raw /version:\n%v", r)
			}
			if n := op.TokenRequests(t) - tokens; n != 0 {
				t.Errorf("%d token requests for the second and third kubectl, want 0 (cache hits)", n)
			}

			users, expiries, refused := front.seen()
			if len(refused) != 0 || len(users) == 0 {
				t.Fatalf("the API server let in %v and refused %v", users, refused)
			}
			// Wait (not a timing assertion) until the id_token is within the
			// refresh margin of both kcc-cache and kcc-oidc.
			time.Sleep(time.Until(expiries[0].Add(-30*time.Second + time.Second)))
			h.mustGetPods(kc)
			if n := op.TokenRequests(t) - tokens; n != 1 {
				t.Errorf("%d token requests after the id_token expired, want 1 (a refresh)", n)
			}
			if n := lines(t, browserLog); n != 1 {
				t.Errorf("the browser opened %d times in all, want only the first login", n)
			}
			users, _, refused = front.seen()
			if len(refused) != 0 || len(slices.Compact(slices.Clone(users))) != 1 {
				t.Errorf("users let in %v (refused %v), want one user throughout", users, refused)
			}
		})
	})

	t.Run("16 kubectl at once, empty store: one device login", func(t *testing.T) {
		t.Parallel()
		op := oidcop.StartTest(t, oidcop.TestOptions{})
		forFileBackend(t, func(t *testing.T, h *harness) {
			front := h.oidcServer(op.Issuer, "device")
			browserLog := filepath.Join(h.dir, "browser.log")
			kc := h.kubeconfig(bins.user(browserLog, "--oidc-issuer-url", op.Issuer, "--oidc-client-id", "device",
				"--oidc-client-secret", oidcop.ClientSecret, "--grant-type", "device-code"))
			kubectl := requireTool(t, "kubectl")
			var wg sync.WaitGroup
			results := make([]result, 16)
			errs := make([]error, 16)
			for i := range results {
				wg.Go(func() { results[i], errs[i] = runCmd(h.env(), h.dir, "", kubectl, "--kubeconfig="+kc, "get", "pods") })
			}
			wg.Wait()
			for i, r := range results {
				if errs[i] != nil || r.code != 0 || !strings.Contains(r.stdout, podName) {
					t.Errorf("kubectl %d (%v):\n%v", i, errs[i], r)
				}
			}
			if n := op.Counts(t)["/device_authorization"]; n != 1 {
				t.Errorf("%d device logins for 16 kubectl, want 1", n)
			}
			if n := lines(t, browserLog); n != 1 {
				t.Errorf("the browser opened %d times, want 1", n)
			}
			if _, _, refused := front.seen(); len(refused) != 0 {
				t.Errorf("the API server refused %v", refused)
			}
		})
	})
}
