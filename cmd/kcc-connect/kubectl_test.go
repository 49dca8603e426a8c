package main

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/eksauth"
	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/kubeconfig"
)

// testKubectl: an entry written by use, its server moved to an in-test API
// server that checks EKS tokens like EKS does, works with the real kubectl
// through kcc-cache and kcc-eks (built from this repository): the token is
// signed by a session of the role the prod profile assumes, in the other
// account, for the cluster's name.
func testKubectl(t *testing.T, w *world) {
	kubectl := testbin.Require(t, "kubectl")
	bin := t.TempDir()
	for _, name := range []string{"kcc-cache", "kcc-eks"} {
		testbin.Build(t, bin, name)
	}
	c := w.find(t, "prod", "eu-west-1", "demo")
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	if r := kccConnect(t, w.env(), "use", c.ID, "--profile", "prod", "-k", path, "--set-current"); r.code != 0 {
		t.Fatalf("use: exit %d: %s", r.code, r.stderr)
	}

	moto, err := url.Parse(w.endpoint)
	if err != nil {
		t.Fatal(err)
	}
	verifier := &eksauth.Verifier{ClusterID: c.Name, Secret: motoserver.SessionSecret(t, w.endpoint), Hosts: []string{moto.Host}}
	var mu sync.Mutex
	var keys []string
	var refusals []string
	api := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		id, _ := verifier.Authenticate(r) // the middleware let it through
		mu.Lock()
		keys = append(keys, id.AccessKeyID)
		mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprint(rw, `{"major":"1","minor":"32","gitVersion":"v1.32.0-kcc-connect-test","platform":"linux/amd64"}`)
	})
	srv := httptest.NewTLSServer(verifier.Middleware(api, func(err error) {
		mu.Lock()
		refusals = append(refusals, err.Error())
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)

	// Point the entry at the test server: the same in-place update use
	// makes when a cluster's endpoint or CA changes.
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	moved, err := kubeconfig.Merge(src, kubeconfig.Changes{Clusters: []kubeconfig.Cluster{{
		Name: c.ID, Server: srv.URL, CertificateAuthorityData: base64.StdEncoding.EncodeToString(ca),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, moved, 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(kubectl, "--kubeconfig", path, "get", "--raw", "/version")
	cmd.Env = append(w.env(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"KUBE_CREDENTIAL_CACHE_BACKEND=file",
		"KUBE_CREDENTIAL_CACHE_FILE="+filepath.Join(dir, "cache.json"),
	)
	out, err := cmd.CombinedOutput()
	mu.Lock()
	defer mu.Unlock()
	if err != nil || !strings.Contains(string(out), "v1.32.0-kcc-connect-test") {
		t.Fatalf("kubectl get --raw /version: %v\n%s\nrefused tokens: %q", err, out, refusals)
	}
	if len(keys) == 0 {
		t.Fatal("the API server saw no request")
	}
	for _, s := range motoserver.AssumedRoles(t, w.endpoint) {
		if s.AccessKeyID == keys[0] {
			if s.RoleARN != prodRole || s.AccountID != prodAccount {
				t.Errorf("the token was signed by %s, want a session of %s", s, prodRole)
			}
			return
		}
	}
	t.Errorf("the token's key %s is no role session of moto's", keys[0])
}
