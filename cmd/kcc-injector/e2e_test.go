package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// The test binary doubles as the exec plugin the kubeconfig names: with
// pluginEnv set it prints a credential, counts the run and exits.
const (
	pluginEnv = "KCC_INJECTOR_TEST_PLUGIN"
	countEnv  = "KCC_INJECTOR_TEST_COUNT"
	tokenEnv  = "KCC_INJECTOR_TEST_TOKEN"
)

func TestMain(m *testing.M) {
	if os.Getenv(pluginEnv) == "1" {
		os.Exit(plugin())
	}
	os.Exit(m.Run())
}

// plugin answers KUBERNETES_EXEC_INFO with a token valid for an hour and
// appends a line to the count file, so the test sees every run.
func plugin() int {
	f, err := os.OpenFile(os.Getenv(countEnv), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "test plugin:", err)
		return 1
	}
	fmt.Fprintln(f, "run")
	f.Close()
	var info struct {
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal([]byte(os.Getenv("KUBERNETES_EXEC_INFO")), &info); err != nil || info.APIVersion == "" {
		info.APIVersion = "client.authentication.k8s.io/v1"
	}
	cred := map[string]any{
		"kind":       "ExecCredential",
		"apiVersion": info.APIVersion,
		"status": map[string]string{
			"token":               os.Getenv(tokenEnv),
			"expirationTimestamp": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		},
	}
	if err := json.NewEncoder(os.Stdout).Encode(cred); err != nil {
		return 1
	}
	return 0
}

// apiServer answers the discovery requests kubectl makes, for one token.
func apiServer(t *testing.T, token string) (*httptest.Server, *atomic.Int32) {
	var unauthorized atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			unauthorized.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/version":
			fmt.Fprint(w, `{"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}`)
		case "/api":
			fmt.Fprint(w, `{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}`)
		case "/apis":
			fmt.Fprint(w, `{"kind":"APIGroupList","apiVersion":"v1","groups":[]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &unauthorized
}

// TestEndToEndKubectl injects a kubeconfig, runs the real kubectl through
// kcc-cache twice (the second run must be served from the cache, so the
// plugin runs once), restores the file and compares it byte for byte.
func TestEndToEndKubectl(t *testing.T) {
	kubectl := testbin.Require(t, "kubectl")
	dir := t.TempDir()
	kcc := testbin.Build(t, dir, "kcc-cache")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const token = "e2e-token-1"
	srv, unauthorized := apiServer(t, token)
	count := filepath.Join(dir, "plugin-runs")

	config := filepath.Join(dir, "config")
	original := kubeconfigFor(srv, self, count, token)
	if err := os.WriteFile(config, original, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-i", "-c", kcc, config}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("inject: exit %d: %s", code, stderr.String())
	}
	env := append(os.Environ(),
		"HOME="+dir,
		"KUBECONFIG=",
		"KUBE_CREDENTIAL_CACHE_BACKEND=file",
		"KUBE_CREDENTIAL_CACHE_FILE="+filepath.Join(dir, "cache.json"),
	)
	kubectlRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(kubectl, append([]string{"--kubeconfig", config}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if got := kubectlRun("config", "view", "-o", "jsonpath={.users[0].user.exec.command}"); got != kcc {
		t.Fatalf("kubectl config view reads command %q, want %q", got, kcc)
	}
	for i := 0; i < 2; i++ {
		if out := kubectlRun("api-versions"); !strings.Contains(out, "v1") {
			t.Fatalf("kubectl api-versions run %d: %q", i+1, out)
		}
	}
	runs, err := os.ReadFile(count)
	if err != nil {
		t.Fatalf("the plugin never ran: %v", err)
	}
	if n := strings.Count(string(runs), "run"); n != 1 {
		t.Errorf("plugin ran %d times for two kubectl calls, want 1 (second call from cache)", n)
	}
	if n := unauthorized.Load(); n != 0 {
		t.Errorf("the API server saw %d requests without the token", n)
	}

	if code := run(context.Background(), []string{"-i", "-r", config}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("restore: exit %d: %s", code, stderr.String())
	}
	restored, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(restored, original) {
		t.Errorf("restored file differs from the original\nwant:\n%s\ngot:\n%s", original, restored)
	}
	// Control: without kcc-cache every kubectl call runs the plugin, which
	// shows the count above measured the cache and not a silent plugin.
	kubectlRun("api-versions")
	if runs, _ := os.ReadFile(count); strings.Count(string(runs), "run") != 2 {
		t.Errorf("after restore the plugin should run on its own; runs: %q", runs)
	}
}

// kubeconfigFor writes a kubeconfig in kubectl's style whose only user runs
// the test binary as its exec plugin.
func kubeconfigFor(srv *httptest.Server, plugin, count, token string) []byte {
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	return []byte(`apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ` + base64.StdEncoding.EncodeToString(ca) + `
    server: ` + srv.URL + `
  name: e2e
contexts:
- context:
    cluster: e2e
    user: e2e-user
  name: e2e
current-context: e2e
kind: Config
preferences: {}
users:
- name: e2e-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      args:
      - plugin
      command: ` + plugin + `
      env:
      - name: ` + pluginEnv + `
        value: "1"
      - name: ` + countEnv + `
        value: ` + count + `
      - name: ` + tokenEnv + `
        value: ` + token + `
      interactiveMode: Never
      provideClusterInfo: false
`)
}
