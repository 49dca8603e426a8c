package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/history"
)

// motoEnv starts moto_server and points the SDK's default chain at it (no
// profile: environment keys, one region).
func motoEnv(t *testing.T) aws.Config {
	t.Helper()
	newExtrasEnv(t)
	endpoint := motoserver.Start(t)
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "eu-west-1")
	return motoserver.Config(endpoint, "eu-west-1", "AKIAEXAMPLE", "secret", "")
}

// currentContext asks the real kubectl.
func currentContext(t *testing.T, kubeconfig string) string {
	t.Helper()
	kubectl := testbin.Require(t, "kubectl")
	out, err := exec.Command(kubectl, "config", "current-context", "--kubeconfig", kubeconfig).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl config current-context: %v: %s", err, out)
	}
	return strings.TrimSpace(string(out))
}

func historyIDs(t *testing.T) map[string]history.Entry {
	t.Helper()
	byContext := map[string]history.Entry{}
	for _, e := range listHistory(t) {
		byContext[e.Context] = e
	}
	return byContext
}

func TestToAgainstMoto(t *testing.T) {
	cfg := motoEnv(t)
	motoserver.CreateCluster(t, cfg, "web")
	motoserver.CreateCluster(t, cfg, "api")
	kc := filepath.Join(t.TempDir(), "config")

	execApp(t, nil, "use", "web", "-k", kc, "--set-current").wantOK(t)
	execApp(t, nil, "use", "api", "-k", kc, "--set-current").wantOK(t)
	if got := currentContext(t, kc); got != "api" {
		t.Fatalf("after use: current-context %q", got)
	}
	ids := historyIDs(t)
	web, api := ids["web"], ids["api"]
	if web.ID == "" || api.ID == "" || web.Kubeconfig != kc || web.ClusterID != "arn:aws:eks:eu-west-1:"+motoserver.DefaultAccount+":cluster/web" {
		t.Fatalf("history after use: %+v", ids)
	}
	afterUse, _ := os.ReadFile(kc)

	// Nothing changed in AWS: to only switches current-context.
	r := execApp(t, nil, "to", web.ID).wantOK(t)
	if !strings.Contains(r.stdout, `current-context is "web"`) || currentContext(t, kc) != "web" {
		t.Fatalf("to %s: %q, current-context %q", web.ID, r.stdout, currentContext(t, kc))
	}
	afterTo, _ := os.ReadFile(kc)
	if got := bytes.Replace(afterTo, []byte("current-context: web"), []byte("current-context: api"), 1); !bytes.Equal(got, afterUse) {
		t.Fatalf("to changed more than current-context:\n%s\n---\n%s", afterUse, afterTo)
	}

	// - goes back and forth.
	for _, want := range []string{"api", "web", "api"} {
		execApp(t, nil, "to", "-").wantOK(t)
		if got := currentContext(t, kc); got != want {
			t.Fatalf("to -: current-context %q, want %q", got, want)
		}
	}

	// By alias; the alias stays on the entry.
	execApp(t, nil, "alias", "add", "w", web.ID).wantOK(t)
	execApp(t, nil, "to", "w").wantOK(t)
	if got := currentContext(t, kc); got != "web" || historyIDs(t)["web"].Alias != "w" {
		t.Fatalf("to w: current-context %q, history %+v", got, historyIDs(t)["web"])
	}
	if es := listHistory(t); len(es) != 2 || es[0].Context != "web" {
		t.Fatalf("to must refresh the entry, not add one: %+v", es)
	}

	// -k -: a standalone kubeconfig on stdout, the file untouched.
	before, _ := os.ReadFile(kc)
	r = execApp(t, nil, "to", api.ID, "-k", "-").wantOK(t)
	if !strings.Contains(r.stdout, "current-context: api") || !strings.Contains(r.stdout, "kcc-cache") {
		t.Fatalf("to -k -:\n%s", r.stdout)
	}
	unchanged(t, kc, before)
}

// to describes the cluster again: a hand-broken server and a CA rotated in
// AWS (the cluster deleted and created again) are both put right.
func TestToRewritesMovedEndpointAndRotatedCA(t *testing.T) {
	cfg := motoEnv(t)
	first := motoserver.CreateCluster(t, cfg, "web")
	kc := filepath.Join(t.TempDir(), "config")
	execApp(t, nil, "use", "web", "-k", kc).wantOK(t)
	id := historyIDs(t)["web"].ID

	if _, err := eks.NewFromConfig(cfg).DeleteCluster(context.Background(), &eks.DeleteClusterInput{Name: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	second := motoserver.CreateCluster(t, cfg, "web")
	oldCA, newCA := aws.ToString(first.CertificateAuthority.Data), aws.ToString(second.CertificateAuthority.Data)
	if oldCA == newCA {
		t.Fatal("moto gave the new cluster the same CA; the test would prove nothing")
	}
	data, _ := os.ReadFile(kc)
	broken := strings.Replace(string(data), "server: "+aws.ToString(first.Endpoint), "server: https://moved.example.test", 1)
	if broken == string(data) {
		t.Fatalf("no server line to break in:\n%s", data)
	}
	os.WriteFile(kc, []byte(broken), 0o600)

	execApp(t, nil, "to", id).wantOK(t)
	data, _ = os.ReadFile(kc)
	if !strings.Contains(string(data), "server: "+aws.ToString(second.Endpoint)) || strings.Contains(string(data), "moved.example.test") ||
		!strings.Contains(string(data), newCA) || strings.Contains(string(data), oldCA) {
		t.Fatalf("to did not refresh the cluster:\n%s", data)
	}
}

func TestToErrors(t *testing.T) {
	cfg := motoEnv(t)
	motoserver.CreateCluster(t, cfg, "web")
	kc := filepath.Join(t.TempDir(), "config")
	execApp(t, nil, "use", "web", "-k", kc).wantOK(t)
	web := historyIDs(t)["web"]
	env := newExtrasEnvPaths(t)
	hist, _ := os.ReadFile(env.history)

	execApp(t, nil, "to", "nope").wantError(t, 1, `"nope" is neither an id nor an alias`)
	execApp(t, nil, "to", "-").wantError(t, 1, "no previous entry")
	execApp(t, nil, "to").wantError(t, 2, "takes 1 argument(s), got 0")
	execApp(t, nil, "to", web.ID, "--exec", "curl").wantError(t, 2, `--exec "curl"`)

	// The cluster is gone from AWS: one line, nothing written.
	if _, err := eks.NewFromConfig(cfg).DeleteCluster(context.Background(), &eks.DeleteClusterInput{Name: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	execApp(t, nil, "to", web.ID).wantError(t, 1, "DescribeCluster web")

	// A kubeconfig that does not parse: one line, the file left as it is.
	os.WriteFile(kc, []byte("clusters: [\n"), 0o600)
	motoserver.CreateCluster(t, cfg, "web")
	execApp(t, nil, "to", web.ID).wantError(t, 1, kc)
	unchanged(t, kc, []byte("clusters: [\n"))
	unchanged(t, env.history, hist)
}

// newExtrasEnvPaths are the paths of the environment newExtrasEnv set up,
// without setting up another.
func newExtrasEnvPaths(t *testing.T) extrasEnv {
	cfg, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg, "kube-credential-cache", "connect")
	return extrasEnv{config: filepath.Join(dir, "config.yaml"), history: filepath.Join(dir, "history.yaml")}
}
