package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// oidcEnv is a kcc-connect process's environment for the oidc tests: its
// own HOME, config and history, no version check.
type oidcEnv struct {
	dir, home, history string
	env                []string
}

func newOIDCEnv(t *testing.T) oidcEnv {
	t.Helper()
	dir := t.TempDir()
	e := oidcEnv{dir: dir, home: filepath.Join(dir, "home"), history: filepath.Join(dir, "history.yaml")}
	e.env = []string{
		"HOME=" + e.home,
		"KCC_CONNECT_CONFIG=" + filepath.Join(dir, "config.yaml"),
		"KCC_CONNECT_HISTORY_FILE=" + e.history,
		"KCC_CONNECT_NO_VERSION_CHECK=1",
	}
	return e
}

// run runs kcc-connect as its own process with stdin and extra env.
func (e oidcEnv) run(t *testing.T, stdin string, extraEnv []string, args ...string) result {
	t.Helper()
	cmd := testbin.Self(t, runMainEnv, append(append([]string(nil), e.env...), extraEnv...), args...)
	cmd.Stdin = strings.NewReader(stdin)
	r := testbin.Run(t, cmd)
	return result{r.Code, r.Stdout, r.Stderr}
}

// write puts data in a file of the test's directory and returns its path.
func (e oidcEnv) write(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(e.dir, name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// teamList is a cluster list with a CA, scopes and labels; dev's name is
// "lab", which the commented kubeconfig already has as a context.
func teamList(ca string) string {
	return `# clusters of the team
clusters:
  - id: dev
    name: lab
    server: https://dev.example.com:6443
    caData: ` + ca + `
    issuerUrl: https://issuer.example.com/
    clientId: kube
    extraScopes: [groups, offline_access]
    labels: {env: dev, team: platform}
  - id: prod
    name: production
    server: https://prod.example.com
    issuerUrl: https://issuer.example.com/
    clientId: kube-prod
    labels: {env: prod, team: platform}
`
}

// testCAData is base64 PEM of srv's certificate.
func testCAData(srv *httptest.Server) string {
	return base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
}

// ids are the ids of a discover -o json listing.
func ids(t *testing.T, r result) string {
	t.Helper()
	var cs []struct {
		ID       string            `json:"id"`
		Provider string            `json:"provider"`
		Labels   map[string]string `json:"labels"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil {
		t.Fatalf("discover -o json: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	var out []string
	for _, c := range cs {
		if c.Provider != "oidc" {
			t.Errorf("cluster %s has provider %q", c.ID, c.Provider)
		}
		out = append(out, c.ID)
	}
	return strings.Join(out, ",")
}

func TestOIDCDiscoverSources(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/clusters.yaml":
			w.Write([]byte(teamList("")))
		case "/to-http":
			http.Redirect(w, r, "http://"+r.Host+"/clusters.yaml", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	defer srv.Close()
	e := newOIDCEnv(t)
	file := e.write(t, "clusters.yaml", teamList(testCAData(srv)))
	trust := []string{"SSL_CERT_FILE=" + caFile(t, srv)}

	for _, tc := range []struct {
		name  string
		stdin string
		env   []string
		args  []string
		want  string
	}{
		{"file", "", nil, []string{"--config-url", file}, "dev,prod"},
		{"stdin", teamList(""), nil, []string{"--config-url", "-"}, "dev,prod"},
		{"https, CA trusted", "", trust, []string{"--config-url", srv.URL + "/clusters.yaml"}, "dev,prod"},
		{"provider from the config url in the environment", "", []string{"KCC_CONNECT_CONFIG_URL=" + file}, nil, "dev,prod"},
		{"label", "", nil, []string{"--config-url", file, "--label", "env=prod"}, "prod"},
		{"labels all match", "", nil, []string{"--config-url", file, "--label", "team=platform", "--label", "env=dev"}, "dev"},
		{"label matching none", "", nil, []string{"--config-url", file, "--label", "env=test"}, ""},
		{"flags", "", nil, []string{"--cluster-id", "one", "--cluster-url", "https://one.example.com", "--oidc-issuer-url", "https://i.example.com", "--oidc-client-id", "kube"}, "one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.run(t, tc.stdin, tc.env, append([]string{"discover", "-o", "json"}, tc.args...)...).wantOK(t)
			if got := ids(t, r); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("table", func(t *testing.T) {
		r := e.run(t, "", nil, "discover", "--config-url", file).wantOK(t)
		want := "NAME         SERVER                         ISSUER                        CLIENT ID   LABELS                   ID\n" +
			"lab          https://dev.example.com:6443   https://issuer.example.com/   kube        env=dev,team=platform    dev\n" +
			"production   https://prod.example.com       https://issuer.example.com/   kube-prod   env=prod,team=platform   prod\n"
		if r.stdout != want {
			t.Errorf("got\n%s\nwant\n%s", r.stdout, want)
		}
	})

	for _, tc := range []struct {
		name, stdin string
		env, args   []string
		code        int
		want        string
	}{
		{"untrusted https", "", nil, []string{"--config-url", srv.URL + "/clusters.yaml"}, 1, "certificate"},
		{"http", "", nil, []string{"--config-url", strings.Replace(srv.URL, "https", "http", 1) + "/clusters.yaml"}, 1, "only https:// URLs"},
		{"redirect to http", "", trust, []string{"--config-url", srv.URL + "/to-http"}, 1, "could not fetch"},
		{"not found", "", trust, []string{"--config-url", srv.URL + "/none"}, 1, "404"},
		{"malformed", "clusters: [", nil, []string{"--config-url", "-"}, 1, "cluster list standard input: not YAML or JSON"},
		{"duplicate ids", teamList("") + "  - {id: dev, server: 'https://x', issuerUrl: 'https://i', clientId: c}\n", nil, []string{"--config-url", "-"}, 1, "cluster 3 (dev): id: the same as cluster 1's"},
		{"missing issuer", "- {id: a, server: 'https://a', clientId: c}\n", nil, []string{"--config-url", "-"}, 1, "cluster 1 (a): issuerUrl: missing"},
		{"http server", "- {id: a, server: 'http://a', issuerUrl: 'https://i', clientId: c}\n", nil, []string{"--config-url", "-"}, 1, `server: "http://a": want https://`},
		{"flags without issuer", "", nil, []string{"--cluster-id", "one", "--cluster-url", "https://one", "--client-id", "c"}, 1, "cluster flags: cluster 1 (one): issuerUrl: missing"},
		{"bad label", "", nil, []string{"--config-url", file, "--label", "env"}, 2, `--label "env": want key=value`},
		{"eks flag with oidc", "", nil, []string{"--config-url", file, "--region", "eu-west-1"}, 2, "--region is for --provider eks"},
		{"oidc flag with eks", "", nil, []string{"--provider", "eks", "--config-url", file}, 2, "--config-url is for --provider oidc"},
		{"unknown provider", "", nil, []string{"--provider", "rke"}, 2, `--provider "rke": want eks, oidc, gke, aks or rancher`},
		{"oidc without a source", "", nil, []string{"--provider", "oidc"}, 2, "the oidc provider needs --config-url"},
		{"list and flags", "", nil, []string{"--config-url", file, "--cluster-url", "https://x"}, 2, "give one of them"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.run(t, tc.stdin, tc.env, append([]string{"discover"}, tc.args...)...).wantError(t, tc.code, tc.want)
		})
	}
}

// TestOIDCUseHistoryTo: use writes the list's clusters into a hand-written
// kubeconfig (the golden file: comments and the other entries kept), a
// second use changes no byte, and history and to work as for EKS. Bad
// input writes nothing.
func TestOIDCUseHistoryTo(t *testing.T) {
	e := newOIDCEnv(t)
	pemCA, err := os.ReadFile(filepath.Join("testdata", "oidc-team-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	list := e.write(t, "clusters.yaml", teamList(base64.StdEncoding.EncodeToString(pemCA)))
	input, err := os.ReadFile(filepath.Join("testdata", "commented.input.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	kc := e.write(t, "config", string(input))

	use := []string{"use", "--all", "--config-url", list, "-k", kc}
	first := e.run(t, "", nil, use...).wantOK(t)
	got, err := os.ReadFile(kc)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "oidc.golden.yaml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s differs (%v):\n%s", golden, err, got)
	}
	if again := e.run(t, "", nil, use...).wantOK(t); again.stdout != first.stdout {
		t.Errorf("second use said %q, the first %q", again.stdout, first.stdout)
	}
	if after, _ := os.ReadFile(kc); !bytes.Equal(after, got) {
		t.Fatalf("a second use changed the kubeconfig:\n%s", after)
	}

	// The history holds both, as oidc entries; to writes one again and
	// makes it current, to - goes back.
	var entries []struct{ ID, ClusterID, Provider, Context string }
	h := e.run(t, "", nil, "history", "-o", "json").wantOK(t)
	if err := json.Unmarshal([]byte(h.stdout), &entries); err != nil || len(entries) != 2 {
		t.Fatalf("history: %v\n%s", err, h.stdout)
	}
	byCluster := map[string]string{}
	for _, en := range entries {
		if en.Provider != "oidc" {
			t.Errorf("history entry %+v", en)
		}
		byCluster[en.ClusterID] = en.ID
	}
	current := func() string {
		b, _ := os.ReadFile(kc)
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "current-context: "); ok {
				return strings.Fields(v)[0]
			}
		}
		return ""
	}
	e.run(t, "", nil, "to", byCluster["prod"]).wantError(t, 2, "the oidc provider needs --config-url")
	other := e.write(t, "other.yaml", "- {id: other, server: 'https://o', issuerUrl: 'https://i', clientId: c}\n")
	e.run(t, "", nil, "to", byCluster["prod"], "--config-url", other).wantError(t, 1, `cluster "prod" is not in `+other)
	e.run(t, "", nil, "to", byCluster["dev"], "--config-url", list).wantOK(t)
	devContext := current()
	e.run(t, "", nil, "to", byCluster["prod"], "--config-url", list).wantOK(t)
	if c := current(); c != "production" {
		t.Errorf("after to prod, current-context %q", c)
	}
	e.run(t, "", []string{"KCC_CONNECT_CONFIG_URL=" + list}, "to", "-").wantOK(t)
	if c := current(); c != devContext || c == "production" {
		t.Errorf("after to -, current-context %q, want %q", c, devContext)
	}

	// --no-cache: kcc-oidc itself is the user's command.
	r := e.run(t, "", nil, "use", "prod", "--config-url", list, "--no-cache", "-k", "-").wantOK(t)
	if !strings.Contains(r.stdout, "command: kcc-oidc\n") || strings.Contains(r.stdout, "kcc-cache") {
		t.Errorf("--no-cache:\n%s", r.stdout)
	}

	// One cluster from flags, its CA from a PEM file.
	caPath, _ := filepath.Abs(filepath.Join("testdata", "oidc-team-ca.pem"))
	oneFlags := []string{"use", "one", "--cluster-id", "one", "--cluster-url", "https://one.example.com", "--issuer-url", "https://i.example.com", "--client-id", "kube", "-k", "-"}
	r = e.run(t, "", nil, append(oneFlags, "--cluster-ca", caPath)...).wantOK(t)
	if !strings.Contains(r.stdout, "certificate-authority-data: "+base64.StdEncoding.EncodeToString(pemCA)+"\n") || !strings.Contains(r.stdout, "--oidc-issuer-url=https://i.example.com") {
		t.Errorf("cluster from flags:\n%s", r.stdout)
	}
	e.run(t, "", nil, append(oneFlags, "--cluster-ca", list)...).wantError(t, 1, "cluster flags: cluster 1 (one): caData: not a PEM bundle")

	before, _ := os.ReadFile(kc)
	history, _ := os.ReadFile(e.history)
	for _, tc := range []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		{"http config url", "", []string{"--config-url", "http://example.com/clusters.yaml"}, 1, "only https:// URLs"},
		{"malformed", "clusters:\n  - id: [\n", []string{"--config-url", "-"}, 1, "not YAML or JSON"},
		{"duplicate ids", teamList("") + "  - {id: prod, server: 'https://x', issuerUrl: 'https://i', clientId: c}\n", []string{"--config-url", "-"}, 1, "cluster 3 (prod): id: the same as cluster 2's"},
		{"missing issuer", "- {id: a, server: 'https://a', clientId: c}\n", []string{"--config-url", "-"}, 1, "cluster 1 (a): issuerUrl: missing"},
		{"role with oidc", "", []string{"--config-url", list, "--role-arn", "arn:aws:iam::1:role/x"}, 2, "--role-arn is for --provider eks"},
		{"aws plugin with oidc", "", []string{"--config-url", list, "--exec", "aws"}, 2, "--exec is for --provider eks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.run(t, tc.stdin, nil, append([]string{"use", "--all", "-k", kc}, tc.args...)...).wantError(t, tc.code, tc.want)
			unchanged(t, kc, before)
			unchanged(t, e.history, history)
		})
	}
}
