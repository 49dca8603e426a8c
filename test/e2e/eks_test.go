//go:build unix

package e2e

import (
	"context"
	"crypto/tls"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/eksauth"
	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
)

// The keys of the EKS tests' IAM user: the "STS" of the API server (an
// eksauth.Verifier) knows its secret, as AWS does.
const (
	eksKeyID     = "AKIDE2EEKSUSER"
	eksSecretKey = "e2e/eks+secret"
	eksCluster   = "e2e-cluster"
)

// TestEKSNativeTokens: the real kubectl runs kcc-cache, which runs kcc-eks,
// against an API server that authenticates the token as EKS does: the SigV4
// signature recomputed with the user's secret key, the signed x-k8s-aws-id
// header for this cluster, the 15-minute window. A second kubectl call is a
// cache hit (kcc-eks does not run); a token signed with a wrong key, for
// another cluster or past its window is refused and kubectl fails.
func TestEKSNativeTokens(t *testing.T) {
	t.Parallel()
	bin := buildKCCEKS(t)

	t.Run("valid token, then a cache hit", func(t *testing.T) {
		t.Parallel()
		forEachBackend(t, func(t *testing.T, h *harness) {
			srv := h.eksServer(&eksauth.Verifier{ClusterID: eksCluster, Secret: eksauth.Keys(map[string]string{eksKeyID: eksSecretKey})})
			kc := h.kubeconfig(h.eksUser(bin, eksSecretKey, "--cluster-name", eksCluster, "--region", "eu-west-1"))
			h.mustGetPods(kc)
			h.wantRuns(1, "first kubectl call")
			h.mustGetPods(kc)
			if r := h.kubectl(kc, nil, "get", "--raw", "/version"); r.code != 0 {
				t.Fatalf("kubectl get --raw /version:\n%v", r)
			}
			h.wantRuns(1, "second and third kubectl calls (cache hits)")
			if refused := srv.refusals(); len(refused) != 0 {
				t.Errorf("the server refused tokens: %v", refused)
			}
			if ok, _ := h.srv.counts(); ok == 0 {
				t.Error("the server let no request in")
			}
		})
	})

	for _, tc := range []struct {
		name     string
		secret   string
		cluster  string
		verifier eksauth.Verifier
		why      string
	}{
		{name: "wrong key", secret: "not/the+secret", cluster: eksCluster, why: "signature"},
		{name: "another cluster", secret: eksSecretKey, cluster: "other-cluster", why: "signature"},
		{name: "past the window", secret: eksSecretKey, cluster: eksCluster, why: "expired",
			verifier: eksauth.Verifier{Now: func() time.Time { return time.Now().Add(eksauth.Window + time.Minute) }}},
	} {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			t.Parallel()
			forFileBackend(t, func(t *testing.T, h *harness) {
				v := tc.verifier
				v.ClusterID, v.Secret = eksCluster, eksauth.Keys(map[string]string{eksKeyID: eksSecretKey})
				srv := h.eksServer(&v)
				kc := h.kubeconfig(h.eksUser(bin, tc.secret, "--cluster-name", tc.cluster, "--region", "eu-west-1"))
				r := h.kubectl(kc, nil, "get", "--raw", "/version")
				if r.code == 0 {
					t.Fatalf("kubectl succeeded with a bad token:\n%v", r)
				}
				if h.runs() == 0 {
					t.Error("kcc-eks never ran")
				}
				refused := srv.refusals()
				if len(refused) == 0 || !strings.Contains(refused[0], tc.why) {
					t.Errorf("refusals %v, want one for %q", refused, tc.why)
				}
				if ok, _ := h.srv.counts(); ok != 0 {
					t.Errorf("%d requests got in", ok)
				}
			})
		})
	}

	t.Run("assumed role from moto_server", func(t *testing.T) {
		t.Parallel()
		endpoint := motoserver.Start(t)
		forFileBackend(t, func(t *testing.T, h *harness) {
			// EKS sends the URL to STS, which knows the role session's key.
			srv := h.eksServer(&eksauth.Verifier{ClusterID: eksCluster, Secret: motoserver.SessionSecret(t, endpoint),
				Hosts: []string{strings.TrimPrefix(endpoint, "http://")}})
			u := h.eksUser(bin, eksSecretKey, "--cluster-name", eksCluster, "--role-arn", "arn:aws:iam::210987654321:role/eks-admin")
			u.env["AWS_ENDPOINT_URL"] = endpoint
			u.env["AWS_REGION"] = "eu-west-1"
			kc := h.kubeconfig(u)
			h.mustGetPods(kc)
			h.mustGetPods(kc)
			h.wantRuns(1, "two kubectl calls")
			sessions := motoserver.AssumedRoles(t, endpoint)
			if len(sessions) != 1 || sessions[0].ARN != "arn:aws:sts::210987654321:assumed-role/eks-admin/EKSGetTokenAuth" {
				t.Errorf("role sessions %v, want one of eks-admin", sessions)
			}
			if refused := srv.refusals(); len(refused) != 0 {
				t.Errorf("the server refused tokens: %v", refused)
			}
		})
	})
}

// eksUser is an exec user running kcc-cache in front of kcc-eks (through a
// wrapper that counts its runs) with the test user's key and secret.
func (h *harness) eksUser(bin, secret string, args ...string) execUser {
	h.t.Helper()
	wrapper := filepath.Join(h.dir, "kcc-eks-counted")
	script := "#!/bin/sh\necho \"$$\" >> \"$" + envRuns + "\"\nexec " + shellQuote(bin) + " \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		h.t.Fatal(err)
	}
	return execUser{
		args: append([]string{wrapper}, args...),
		env: map[string]string{
			"AWS_ACCESS_KEY_ID":         eksKeyID,
			"AWS_SECRET_ACCESS_KEY":     secret,
			"AWS_EC2_METADATA_DISABLED": "true",
		},
	}
}

// eksFront is the harness's API server behind an EKS authenticator.
type eksFront struct {
	mu      sync.Mutex
	refused []string
}

func (f *eksFront) refusals() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.refused...)
}

// eksServer replaces the harness's API server by one whose requests pass
// through v first; the inner server then accepts any EKS token.
func (h *harness) eksServer(v *eksauth.Verifier) *eksFront {
	h.t.Helper()
	front := &eksFront{}
	s := &apiServer{tokens: map[string]bool{}, certs: map[[32]byte]bool{}}
	s.prefixes = []string{eksauth.Prefix}
	s.Server = httptest.NewUnstartedServer(v.Middleware(http.HandlerFunc(s.serve), func(err error) {
		front.mu.Lock()
		defer front.mu.Unlock()
		front.refused = append(front.refused, err.Error())
	}))
	s.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	s.Config.ErrorLog = log.New(handshakeFilter{}, "", log.LstdFlags)
	s.StartTLS()
	h.t.Cleanup(s.Close)
	h.srv = s
	return front
}

// buildKCCEKS builds ./cmd/kcc-eks into the test's temp dir.
func buildKCCEKS(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	out := filepath.Join(t.TempDir(), "kcc-eks")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/kcc-eks")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/kcc-eks: %v\n%s", err, b)
	}
	return out
}
