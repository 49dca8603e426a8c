package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/eksauth"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// Two identities in one AWS config: the user's profile and the default. A
// switch that lost the profile would sign with the default's key.
const (
	profileKey    = "AKIAE2EPROFILE000001"
	profileSecret = "e2e-profile-secret"
	defaultKey    = "AKIAE2EDEFAULT000001"
	defaultSecret = "e2e-default-secret"
)

// TestEndToEndNativeEKS: a kubeconfig as aws eks update-kubeconfig writes
// it, used by the real kubectl with the real aws CLI, then switched with
// --native-eks: kubectl → kcc-cache → kcc-eks, against an API server that
// verifies each token's SigV4 signature as EKS does. The identity the server
// sees must be the same before and after (the profile's key, the region,
// the cluster); the second kubectl call must reuse the cached token; aws
// must not run; and -r must give back the original file byte for byte.
func TestEndToEndNativeEKS(t *testing.T) {
	kubectl := testbin.Require(t, "kubectl")
	testbin.Require(t, "aws")
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	for _, name := range []string{"kcc-cache", "kcc-eks"} {
		testbin.Build(t, bin, name)
	}
	// A stand-in aws on kcc-cache's PATH tells if anything still runs it.
	awsRan := filepath.Join(dir, "aws-ran")
	if err := os.WriteFile(filepath.Join(bin, "aws"), []byte("#!/bin/sh\ntouch "+awsRan+"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}

	srv, seen := eksAPIServer(t, "demo")
	home := awsHome(t, dir)
	config := filepath.Join(dir, "config")
	original := eksKubeconfig(srv, "demo")
	if err := os.WriteFile(config, original, 0o600); err != nil {
		t.Fatal(err)
	}
	kubectlRun := func(path string) {
		t.Helper()
		cmd := exec.Command(kubectl, "--kubeconfig", config, "get", "--raw", "/version")
		cmd.Env = append(awsFreeEnv(), home...)
		cmd.Env = append(cmd.Env, "PATH="+path,
			"KUBE_CREDENTIAL_CACHE_BACKEND=file",
			"KUBE_CREDENTIAL_CACHE_FILE="+filepath.Join(dir, "cache.json"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kubectl: %v\n%s", err, out)
		}
	}

	kubectlRun(os.Getenv("PATH")) // the original plugin: the real aws CLI
	before := seen.take()
	if len(before) == 0 || before[0].id.AccessKeyID != profileKey || before[0].id.Region != "us-east-1" {
		t.Fatalf("with aws the server saw %+v, want tokens of %s for us-east-1", before, profileKey)
	}

	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"--native-eks", "-i", "-c", filepath.Join(bin, "kcc-cache"), config}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("--native-eks: exit %d: %s", code, stderr.String())
	}
	switched, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(switched, []byte("- kcc-eks\n")) {
		t.Fatalf("not switched:\n%s", switched)
	}
	path := bin + string(os.PathListSeparator) + os.Getenv("PATH")
	kubectlRun(path)
	first := seen.take()
	kubectlRun(path)
	second := seen.take()
	if len(first) == 0 || len(second) == 0 {
		t.Fatalf("the server saw %d and %d requests from the two kubectl calls", len(first), len(second))
	}
	for _, r := range append(first, second...) {
		if r.id.AccessKeyID != before[0].id.AccessKeyID || r.id.Region != before[0].id.Region {
			t.Errorf("kcc-eks signed as %s for %s; aws signed as %s for %s", r.id.AccessKeyID, r.id.Region, before[0].id.AccessKeyID, before[0].id.Region)
		}
		if r.token != first[0].token {
			t.Error("the second kubectl call got a new token: kcc-eks ran again instead of a cache hit")
		}
	}
	if _, err := os.Stat(awsRan); err == nil {
		t.Error("aws ran after the switch")
	}

	if code := run(context.Background(), []string{"-r", "-i", config}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, stderr.String())
	}
	if restored, _ := os.ReadFile(config); !bytes.Equal(restored, original) {
		t.Errorf("restored file differs from the original\nwant:\n%s\ngot:\n%s", original, restored)
	}
}

// request is one request the API server let through: the identity its
// token proves and the token's digest.
type request struct {
	id    eksauth.Identity
	token [sha256.Size]byte
}

// requests records what the API server's verifier accepted.
type requests struct {
	mu   sync.Mutex
	seen []request
}

func (s *requests) add(r request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, r)
}

// take returns the requests since the last take.
func (s *requests) take() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.seen
	s.seen = nil
	return out
}

// eksAPIServer answers /version for EKS tokens of cluster signed with one of
// the two keys, and records each request's identity.
func eksAPIServer(t *testing.T, cluster string) (*httptest.Server, *requests) {
	v := &eksauth.Verifier{
		ClusterID: cluster,
		Secret:    eksauth.Keys(map[string]string{profileKey: profileSecret, defaultKey: defaultSecret}),
	}
	seen := &requests{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := v.Authenticate(r)
		if err != nil {
			t.Logf("API server refused a token: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}`)
			return
		}
		seen.add(request{id: id, token: sha256.Sum256([]byte(r.Header.Get("Authorization")))})
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// awsHome writes the AWS config with both identities and returns the
// environment pointing at it.
func awsHome(t *testing.T, dir string) []string {
	creds := filepath.Join(dir, "aws-credentials")
	content := "[default]\naws_access_key_id = " + defaultKey + "\naws_secret_access_key = " + defaultSecret + "\n" +
		"[demo]\naws_access_key_id = " + profileKey + "\naws_secret_access_key = " + profileSecret + "\n"
	if err := os.WriteFile(creds, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "aws-config")
	if err := os.WriteFile(cfg, []byte("[default]\nregion = eu-west-1\n[profile demo]\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"HOME=" + dir, "KUBECONFIG=", "AWS_SHARED_CREDENTIALS_FILE=" + creds, "AWS_CONFIG_FILE=" + cfg, "AWS_EC2_METADATA_DISABLED=true"}
}

// awsFreeEnv is the test's environment without AWS settings of the
// machine, PATH and HOME, which each call sets.
func awsFreeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "KUBE") {
			env = append(env, kv)
		}
	}
	return env
}

// eksKubeconfig is what aws eks update-kubeconfig --profile demo writes.
func eksKubeconfig(srv *httptest.Server, cluster string) []byte {
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	arn := "arn:aws:eks:us-east-1:111122223333:cluster/" + cluster
	return []byte(`apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ` + base64.StdEncoding.EncodeToString(ca) + `
    server: ` + srv.URL + `
  name: ` + arn + `
contexts:
- context:
    cluster: ` + arn + `
    user: ` + arn + `
  name: ` + arn + `
current-context: ` + arn + `
kind: Config
preferences: {}
users:
- name: ` + arn + `
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - us-east-1
      - eks
      - get-token
      - --cluster-name
      - ` + cluster + `
      - --output
      - json
      command: aws
      env:
      - name: AWS_PROFILE
        value: demo
`)
}
