//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/azureenv"
	"github.com/IvMisticos/kube-credential-cache/internal/azuretest"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

const (
	aksServerID = contract.AKSServerIDManaged
	aksClientID = "8f0e2c1a-7b3d-4e5f-9a6b-1c2d3e4f5a6b"
	aksSecret   = "spn-secret-e2e-Zq8~x"
)

// aksWorld is kcc-aks on PATH next to kcc-cache, and an Entra ID stand-in
// (no Azure emulator exists) reached only through an environment file at
// AZURE_ENVIRONMENT_FILEPATH, as a user of a sovereign or Stack cloud
// reaches theirs.
type aksWorld struct {
	entra *azuretest.Entra
	env   []string // for kubectl
}

func newAKSWorld(t *testing.T, h *harness) aksWorld {
	t.Helper()
	bin := t.TempDir()
	testbin.Build(t, bin, contract.AKSCommand)
	if err := os.Symlink(kccBin, filepath.Join(bin, contract.CacheCommand)); err != nil {
		t.Fatal(err)
	}
	e := azuretest.StartEntra(t)
	e.AddClient(aksClientID, aksSecret)
	e.AddPublicClient(aksClientID)
	return aksWorld{entra: e, env: []string{
		"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		azureenv.FileEnv + "=" + e.EnvironmentFile(t, ""),
		"SSL_CERT_FILE=" + e.CAFile,
	}}
}

func (w aksWorld) user(login string) execUser {
	a := contract.AKS{Environment: azureenv.Stack, ServerID: aksServerID, ClientID: aksClientID, TenantID: w.entra.Tenant, Login: login}
	return execUser{command: contract.CacheCommand, args: contract.Argv(a)}
}

// TestAKSThroughKubectl: kubectl → kcc-cache → kcc-aks → an API server that
// checks the Entra ID token (signature, issuer, audience = server id,
// expiry); the second kubectl is a cache hit with no token request.
func TestAKSThroughKubectl(t *testing.T) {
	t.Parallel()
	forFileBackend(t, func(t *testing.T, h *harness) {
		w := newAKSWorld(t, h)
		front := h.entraServer(w.entra, aksServerID)
		kc := h.kubeconfig(w.user(contract.AKSLoginSPN))
		env := append(w.env, "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET="+aksSecret)

		first := h.mustGetPods(kc, env...)
		if n := w.entra.TokenRequests(); n != 1 {
			t.Fatalf("%d token requests for the first kubectl, want 1", n)
		}
		second := h.mustGetPods(kc, env...)
		if n := w.entra.TokenRequests(); n != 1 {
			t.Errorf("%d token requests after the second kubectl, want still 1 (a cache hit)", n)
		}
		users, _, refused := front.seen()
		if len(refused) != 0 || len(users) == 0 {
			t.Fatalf("the API server let in %v and refused %v", users, refused)
		}
		for _, r := range []result{first, second} {
			if strings.Contains(r.stdout+r.stderr, aksSecret) {
				t.Errorf("the client secret is in kubectl's output:\n%v", r)
			}
		}
		// No file kcc wrote (the cache store, HOME) holds the secret.
		err := filepath.WalkDir(h.dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), aksSecret) {
				t.Errorf("%s holds the client secret", path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestAKSWrongAudience: a token for another server application is refused
// by the API server, so kubectl fails.
func TestAKSWrongAudience(t *testing.T) {
	t.Parallel()
	forFileBackend(t, func(t *testing.T, h *harness) {
		w := newAKSWorld(t, h)
		front := h.entraServer(w.entra, "another-server-application")
		kc := h.kubeconfig(w.user(contract.AKSLoginSPN))
		r := h.kubectl(kc, append(w.env, "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET="+aksSecret), "get", "pods")
		if r.code == 0 {
			t.Fatalf("kubectl succeeded with a token for another audience:\n%v", r)
		}
		if users, _, refused := front.seen(); len(users) != 0 || len(refused) == 0 || !strings.Contains(refused[0], "audience") {
			t.Errorf("the API server let in %v and refused %v", users, refused)
		}
	})
}

// TestAKSDeviceCodeInTerminal: --login devicecode in a real terminal shows
// Entra ID's message on the terminal (stderr), the stand-in approves the
// code at once, and kubectl lists the pods; the second kubectl asks no
// token.
func TestAKSDeviceCodeInTerminal(t *testing.T) {
	t.Parallel()
	forFileBackend(t, func(t *testing.T, h *harness) {
		w := newAKSWorld(t, h)
		front := h.entraServer(w.entra, aksServerID)
		kc := h.kubeconfig(w.user(contract.AKSLoginDeviceCode))
		kubectl := requireTool(t, "kubectl")
		line := testbin.Quote(kubectl, "--kubeconfig="+kc, "get", "pods") + "; " + testbin.Quote(kubectl, "--kubeconfig="+kc, "get", "pods")
		term := testbin.StartTerminal(t, h.env(w.env...), line)
		screen := term.WaitFor(t, "EXIT:")
		if !strings.Contains(screen, "EXIT:0") || strings.Count(screen, podName) != 2 {
			t.Fatalf("kubectl in the terminal:\n%s", screen)
		}
		if strings.Count(screen, w.entra.URL+"/devicelogin") != 1 {
			t.Errorf("want one device-code message on the terminal:\n%s", screen)
		}
		if n := w.entra.Requests("devicecode"); n != 1 {
			t.Errorf("%d device codes, want 1", n)
		}
		if n := w.entra.TokenRequests(); n != 1 {
			t.Errorf("%d token requests, want 1", n)
		}
		if _, _, refused := front.seen(); len(refused) != 0 {
			t.Errorf("the API server refused %v", refused)
		}
	})
}

// TestAKSDeviceCodeWithoutTerminal: devicecode in CI (no terminal, kubectl
// non-interactive) fails at once with one line saying what to use.
func TestAKSDeviceCodeWithoutTerminal(t *testing.T) {
	t.Parallel()
	forFileBackend(t, func(t *testing.T, h *harness) {
		w := newAKSWorld(t, h)
		h.entraServer(w.entra, aksServerID)
		kc := h.kubeconfig(w.user(contract.AKSLoginDeviceCode))
		r := h.kubectl(kc, w.env, "get", "pods")
		want := "kcc-aks: --login devicecode shows a code to enter in a browser, and no terminal is attached; without a terminal use --login spn"
		if r.code == 0 || !strings.Contains(r.stderr, want) {
			t.Fatalf("want %q:\n%v", want, r)
		}
		if n := w.entra.Requests("devicecode") + w.entra.TokenRequests(); n != 0 {
			t.Errorf("%d requests to Entra ID, want none", n)
		}
	})
}
