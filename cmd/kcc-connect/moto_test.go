package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestMoto runs kcc-connect against moto_server: discovery over two
// profiles (one a role in another account) and three regions, and the
// kubeconfig entries use writes.
func TestMoto(t *testing.T) {
	w := newWorld(t)
	t.Run("discover", func(t *testing.T) { testDiscover(t, w) })
	t.Run("discover every profile and region", func(t *testing.T) { testDiscoverAll(t, w) })
	t.Run("use writes what aws eks update-kubeconfig writes", func(t *testing.T) { testSameAsAWS(t, w) })
	t.Run("use keeps a commented kubeconfig", func(t *testing.T) { testCommented(t, w) })
	t.Run("use -k -", func(t *testing.T) { testStdout(t, w) })
	t.Run("use refuses bad input", func(t *testing.T) { testBadInput(t, w) })
	t.Run("use from many processes at once", func(t *testing.T) { testConcurrentUse(t, w) })
	t.Run("picker in a terminal", func(t *testing.T) { testPicker(t, w) })
	t.Run("kubectl through kcc-cache and kcc-eks", func(t *testing.T) { testKubectl(t, w) })
}

func decodeClusters(t *testing.T, out string) []connect.Cluster {
	t.Helper()
	var got []connect.Cluster
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("discover -o json printed %q: %v", out, err)
	}
	return got
}

// withoutCA drops what JSON does not carry.
func withoutCA(cs []connect.Cluster) []connect.Cluster {
	out := make([]connect.Cluster, len(cs))
	for i, c := range cs {
		c.CertificateAuthority = ""
		out[i] = c
	}
	return out
}

func testDiscover(t *testing.T, w *world) {
	args := []string{"discover", "--profile", "dev", "--profile", "prod", "--region", "us-east-1,eu-west-1", "--region", "ap-southeast-2", "-o", "json"}
	r := kccConnect(t, w.env(), args...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	got := decodeClusters(t, r.stdout)
	want := withoutCA(w.of([]string{"dev", "prod"}, worldRegions))
	if len(want) != 111 {
		t.Fatalf("the world has %d clusters, want 111", len(want))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("discover listed %d clusters, want exactly the %d created\ngot:  %+v\nwant: %+v", len(got), len(want), head(got), head(want))
	}

	// One region, YAML and table: the 106 of dev's us-east-1 (three pages
	// of ListClusters).
	r = kccConnect(t, w.env(), "discover", "--profile", "dev", "-o", "yaml")
	if r.code != 0 || strings.Count(r.stdout, "\n- id: ") != 105 || !strings.HasPrefix(r.stdout, "- id: ") {
		t.Errorf("discover -o yaml for dev's own region: exit %d, %d items\n%s", r.code, strings.Count(r.stdout, "- id: "), r.stderr)
	}
	r = kccConnect(t, w.env(), "discover", "--profile", "prod", "--region", "eu-west-1")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") || !strings.HasPrefix(lines[1], "api ") || !strings.Contains(lines[2], prodAccount) {
		t.Errorf("discover table: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func head(cs []connect.Cluster) []connect.Cluster {
	return cs[:min(3, len(cs))]
}

func testDiscoverAll(t *testing.T, w *world) {
	r := kccConnect(t, w.env(), "discover", "--all-profiles", "--all-regions", "-o", "json")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got, want := decodeClusters(t, r.stdout), withoutCA(w.clusters); !reflect.DeepEqual(got, want) {
		t.Errorf("--all-profiles --all-regions listed %d clusters, want the %d created", len(got), len(want))
	}
	// The broken profile is one warning line; dev and prod still answer.
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "kcc-connect: warning: profile broken: ") {
		t.Errorf("stderr %q, want one warning line for the broken profile", r.stderr)
	}
}

// testSameAsAWS writes entries with kcc-connect and with the real
// `aws eks update-kubeconfig` against the same moto and compares the
// cluster entries (server and CA), for a static-key profile and a role
// profile of another account.
func testSameAsAWS(t *testing.T, w *world) {
	awsCLI := testbin.Require(t, "aws")
	cases := []connect.Cluster{
		w.find(t, "dev", "us-east-1", "demo"),
		w.find(t, "dev", "us-east-1", "app-042"),
		w.find(t, "prod", "eu-west-1", "demo"),
		w.find(t, "prod", "ap-southeast-2", "web"),
	}
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours")
	for _, c := range cases {
		theirs := filepath.Join(dir, "aws-"+c.Profile+"-"+c.Region+"-"+c.Name)
		cmd := exec.Command(awsCLI, "eks", "update-kubeconfig", "--name", c.Name, "--region", c.Region, "--profile", c.Profile, "--kubeconfig", theirs)
		cmd.Env = append(w.env(), "PATH="+os.Getenv("PATH"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("aws eks update-kubeconfig %s: %v\n%s", c.Name, err, out)
		}
		r := kccConnect(t, w.env(), "use", c.ID, "--profile", c.Profile, "-k", ours)
		if r.code != 0 {
			t.Fatalf("use %s: exit %d: %s", c.ID, r.code, r.stderr)
		}
		want := loadKubeconfig(t, theirs).Clusters[c.ID]
		got := loadKubeconfig(t, ours).Clusters[c.ID]
		if want == nil || got == nil {
			t.Fatalf("cluster %s: aws wrote %v, kcc-connect wrote %v", c.ID, want, got)
		}
		if got.Server != want.Server || !bytes.Equal(got.CertificateAuthorityData, want.CertificateAuthorityData) {
			t.Errorf("cluster %s: kcc-connect wrote server %q and %d bytes of CA, aws wrote %q and %d bytes", c.ID, got.Server, len(got.CertificateAuthorityData), want.Server, len(want.CertificateAuthorityData))
		}
		if got.Server != c.Endpoint {
			t.Errorf("cluster %s: server %q, moto says %q", c.ID, got.Server, c.Endpoint)
		}
	}
	cfg := loadKubeconfig(t, ours)
	prod := w.find(t, "prod", "eu-west-1", "demo")
	user := cfg.AuthInfos[connect.UserName(prod)]
	if user == nil || user.Exec == nil {
		t.Fatalf("no user %s in %v", connect.UserName(prod), cfg.AuthInfos)
	}
	e := user.Exec
	wantArgs := []string{"kcc-eks", "--cluster-name", "demo", "--region", "eu-west-1"}
	wantEnv := []clientcmdapi.ExecEnvVar{{Name: "KUBE_CREDENTIAL_CACHE_USER", Value: connect.UserName(prod)}, {Name: "AWS_PROFILE", Value: "prod"}}
	if e.Command != "kcc-cache" || !reflect.DeepEqual(e.Args, wantArgs) || !reflect.DeepEqual(e.Env, wantEnv) || e.APIVersion != "client.authentication.k8s.io/v1beta1" {
		t.Errorf("user exec = %s %q env %v (%s)", e.Command, e.Args, e.Env, e.APIVersion)
	}
}

func loadKubeconfig(t *testing.T, path string) *clientcmdapi.Config {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		t.Fatalf("client-go cannot load %s: %v", path, err)
	}
	return cfg
}

// testCommented merges into a hand-written kubeconfig with comments: the
// result is the golden file (moto's random endpoints and CAs put in), every
// original line stays in order, and the same use again changes nothing.
func testCommented(t *testing.T, w *world) {
	input, err := os.ReadFile(filepath.Join("testdata", "commented.input.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, input, 0o600); err != nil {
		t.Fatal(err)
	}
	east := w.find(t, "dev", "us-east-1", "demo")
	west := w.find(t, "prod", "eu-west-1", "demo")
	// "demo" is in four places: refused, with the candidates listed (and
	// the broken profile's warning).
	r := kccConnect(t, w.env(), "use", "demo", "--all-profiles", "--region", "us-east-1,eu-west-1", "-k", path)
	if r.code != 1 || strings.Count(r.stderr, "arn:aws:eks:") != 4 || !strings.Contains(r.stderr, `"demo" matches 4 clusters`) {
		t.Errorf("ambiguous name: exit %d, stderr %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, input) {
		t.Fatalf("a refused use changed the file")
	}
	args := []string{"use", east.ID, west.ID, "--profile", "dev", "--profile", "prod", "-k", path, "--set-current"}
	if r := kccConnect(t, w.env(), args...); r.code != 0 {
		t.Fatalf("use: exit %d: %s", r.code, r.stderr)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "commented.golden.yaml")
	placeholders := strings.NewReplacer(
		east.Endpoint, "${EAST_SERVER}", quoteCA(east.CertificateAuthority), "${EAST_CA}",
		west.Endpoint, "${WEST_SERVER}", quoteCA(west.CertificateAuthority), "${WEST_CA}",
	)
	if *update {
		if err := os.WriteFile(golden, []byte(placeholders.Replace(string(got))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tmpl, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		"${EAST_SERVER}", east.Endpoint, "${EAST_CA}", quoteCA(east.CertificateAuthority),
		"${WEST_SERVER}", west.Endpoint, "${WEST_CA}", quoteCA(west.CertificateAuthority),
	).Replace(string(tmpl))
	if string(got) != want {
		t.Errorf("result differs from %s:\n%s", golden, got)
	}
	// Every original line but the current-context one is there, in order.
	outLines := strings.SplitAfter(string(got), "\n")
	i := 0
	for _, l := range strings.SplitAfter(string(input), "\n") {
		if strings.HasPrefix(l, "current-context:") {
			if !strings.Contains(string(got), "current-context: demo@123456789012:us-east-1   # default for the team\n") {
				t.Errorf("current-context was not set in place, keeping its comment")
			}
			continue
		}
		for i < len(outLines) && outLines[i] != l {
			i++
		}
		if i == len(outLines) {
			t.Fatalf("original line %q is missing or out of order", l)
		}
	}
	before, _ := os.Stat(path)
	time.Sleep(10 * time.Millisecond) // so that a rewrite would show in the mtime
	if r := kccConnect(t, w.env(), args...); r.code != 0 {
		t.Fatalf("second use: exit %d: %s", r.code, r.stderr)
	}
	again, _ := os.ReadFile(path)
	after, _ := os.Stat(path)
	if !bytes.Equal(again, got) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the same use again changed the file (or rewrote it)")
	}
}

// quoteCA is how the CA data appears in the golden file: moto's random
// data may start with a digit, which is written double-quoted.
func quoteCA(ca string) string {
	if ca != "" && ca[0] >= '0' && ca[0] <= '9' {
		return `"` + ca + `"`
	}
	return ca
}

func testStdout(t *testing.T, w *world) {
	c := w.find(t, "prod", "ap-southeast-2", "web")
	r := kccConnect(t, w.env(), "use", c.ID, "--profile", "prod", "-k", "-")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	cfg, err := clientcmd.Load([]byte(r.stdout))
	if err != nil {
		t.Fatalf("stdout is not a kubeconfig: %v\n%s", err, r.stdout)
	}
	if cfg.CurrentContext != "web" || cfg.Contexts["web"] == nil || cfg.Contexts["web"].Cluster != c.ID || cfg.Clusters[c.ID].Server != c.Endpoint || len(cfg.AuthInfos) != 1 {
		t.Errorf("standalone kubeconfig: %+v", cfg)
	}
	if _, err := os.Stat(filepath.Join(w.dir, ".kube")); !os.IsNotExist(err) {
		t.Errorf("-k - wrote into ~/.kube: %v", err)
	}
}

func testBadInput(t *testing.T, w *world) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	original := []byte("# untouched\napiVersion: v1\nkind: Config\nclusters: []\n")
	broken := filepath.Join(dir, "broken")
	brokenText := []byte("apiVersion: v1\nkind: Config\nclusters: [\n")
	for p, b := range map[string][]byte{good: original, broken: brokenText} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	demo := w.find(t, "dev", "us-east-1", "demo")
	tests := []struct {
		name string
		args []string
		file string
		code int
		want string
	}{
		{"unknown cluster id", []string{"use", "arn:aws:eks:us-east-1:" + devAccount + ":cluster/nope", "--profile", "dev", "-k", good}, good, 1, `no cluster "arn:aws:eks:us-east-1:` + devAccount + `:cluster/nope" found`},
		{"unknown cluster name", []string{"use", "nope", "--profile", "dev", "-k", good}, good, 1, `no cluster "nope" found`},
		{"unknown profile", []string{"use", "demo", "--profile", "nope", "-k", good}, good, 2, `unknown profile "nope"`},
		{"kubeconfig that does not parse", []string{"use", demo.ID, "--profile", "dev", "-k", broken}, broken, 1, broken + ": not YAML"},
		{"no argument and no terminal", []string{"use", "--profile", "dev", "-k", good}, good, 2, "picker, which needs a terminal"},
		{"--alias for several", []string{"use", "--all", "--profile", "dev", "--alias", "x", "-k", good}, good, 1, "--alias names one cluster"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			r := kccConnect(t, w.env(), tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d", r.code, tt.code)
			}
			if !strings.HasPrefix(r.stderr, "kcc-connect: ") || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q, want one line with %q", r.stderr, tt.want)
			}
			if after, _ := os.ReadFile(tt.file); !bytes.Equal(after, before) {
				t.Errorf("the kubeconfig changed:\n%s", after)
			}
			if _, err := os.Stat(tt.file + ".lock"); !os.IsNotExist(err) {
				t.Errorf("a lock file was left behind")
			}
		})
	}
}

// testConcurrentUse: many kcc-connect processes write to one kubeconfig at
// once; they take turns on kubectl's lock, and no entry is lost.
func testConcurrentUse(t *testing.T, w *world) {
	path := filepath.Join(t.TempDir(), "config")
	const n = 12
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		c := w.clusters[i]
		wg.Go(func() {
			results[i] = kccConnect(t, w.env(), "use", c.ID, "--profile", c.Profile, "-k", path)
		})
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("process %d: exit %d: %s", i, r.code, r.stderr)
		}
	}
	cfg := loadKubeconfig(t, path)
	for _, c := range w.clusters[:n] {
		if cfg.Contexts[c.Name] == nil || cfg.Clusters[c.ID] == nil || cfg.AuthInfos[connect.UserName(c)] == nil {
			t.Errorf("entry of %s lost", c.ID)
		}
	}
	if len(cfg.Contexts) != n {
		t.Errorf("%d contexts, want %d", len(cfg.Contexts), n)
	}
}
