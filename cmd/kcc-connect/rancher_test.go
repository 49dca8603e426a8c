package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/IvMisticos/kube-credential-cache/internal/ranchertest"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// The Rancher tests run kcc-connect processes against ranchertest, a local
// TLS stand-in of Rancher's v3 API (no Rancher server can run here), which
// checks every token it is sent.

const (
	rancherUser     = "alice"
	rancherPassword = "s3cret-Passw0rd-of-alice"
)

// rancherWorld is a stand-in with three clusters (two pages), one with an
// authorized cluster endpoint of two nodes, and a kcc-connect environment
// whose store is kcc's file store under store/.
type rancherWorld struct {
	srv        *ranchertest.Server
	dir        string
	storeDir   string
	env        []string
	kubeconfig string
}

func newRancherWorld(t *testing.T) *rancherWorld {
	t.Helper()
	srv := ranchertest.New(t,
		ranchertest.Cluster{ID: "c-prod1", Name: "prod", State: "active", Provider: "rke2", KubernetesVersion: "v1.31.4+rke2r1", ACENodes: []string{"cp1", "cp2"}},
		ranchertest.Cluster{ID: "c-dev22", Name: "dev", State: "active", Provider: "k3s", KubernetesVersion: "v1.30.2+k3s1"},
		ranchertest.Cluster{ID: "c-edge3", Name: "edge", State: "provisioning", Provider: "imported"},
	)
	srv.Users["local"] = map[string]string{rancherUser: rancherPassword}
	srv.Users["activedirectory"] = map[string]string{"bob": "ad-Passw0rd-of-bob"}
	srv.Users["openldap"] = map[string]string{"carol": "ldap-Passw0rd-of-carol"}
	dir := t.TempDir()
	w := &rancherWorld{srv: srv, dir: dir, storeDir: filepath.Join(dir, "store"), kubeconfig: filepath.Join(dir, "kubeconfig")}
	ca := filepath.Join(dir, "rancher-ca.pem")
	if err := os.WriteFile(ca, srv.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	w.env = []string{
		"HOME=" + filepath.Join(dir, "home"),
		"KCC_CONNECT_CONFIG=" + filepath.Join(dir, "config.yaml"),
		"KCC_CONNECT_HISTORY_FILE=" + filepath.Join(dir, "history.yaml"),
		"KCC_CONNECT_NO_VERSION_CHECK=1",
		"SSL_CERT_FILE=" + ca,
		"KUBE_CREDENTIAL_CACHE_BACKEND=file",
		"KUBE_CREDENTIAL_CACHE_FILE=" + filepath.Join(w.storeDir, "cache.json"),
	}
	return w
}

// run runs kcc-connect with stdin and extra environment.
func (w *rancherWorld) run(t *testing.T, stdin string, extra []string, args ...string) result {
	t.Helper()
	cmd := testbin.Self(t, runMainEnv, append(append([]string(nil), w.env...), extra...), args...)
	cmd.Stdin = strings.NewReader(stdin)
	r := testbin.Run(t, cmd)
	return result{r.Code, r.Stdout, r.Stderr}
}

// rancher runs kcc-connect --provider rancher at the stand-in, with the
// password on stdin.
func (w *rancherWorld) rancher(t *testing.T, args ...string) result {
	t.Helper()
	base := []string{args[0], "--provider", "rancher", "--api-endpoint", w.srv.APIEndpoint(), "--username", rancherUser, "--password-stdin"}
	return w.run(t, rancherPassword+"\n", nil, append(base, args[1:]...)...)
}

// secrets are the password and every token the stand-in issued.
func (w *rancherWorld) secrets() []string {
	out := []string{rancherPassword, "ad-Passw0rd-of-bob", "ldap-Passw0rd-of-carol"}
	for _, tk := range w.srv.Tokens() {
		out = append(out, tk.Secret)
	}
	return out
}

// noSecrets checks that no password or token is in any output or in any
// file of the test's directory but kcc's store.
func (w *rancherWorld) noSecrets(t *testing.T, outputs ...result) {
	t.Helper()
	secrets := w.secrets()
	for _, r := range outputs {
		for _, s := range secrets {
			if strings.Contains(r.stdout+r.stderr, s) {
				t.Errorf("a secret is in the output:\n%s\n%s", r.stdout, r.stderr)
			}
		}
	}
	err := filepath.WalkDir(w.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(path, w.storeDir+string(filepath.Separator)) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("a secret is in %s", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// generate is the kubeconfig Rancher generates for a cluster, asked of the
// stand-in with a login token of its own.
func (w *rancherWorld) generate(t *testing.T, id string) *clientcmdapi.Config {
	t.Helper()
	body := strings.NewReader(`{"username":"` + rancherUser + `","password":"` + rancherPassword + `"}`)
	resp, err := w.srv.Client().Post(w.srv.URL+"/v3-public/localProviders/local?action=login", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	err = json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if err != nil || login.Token == "" {
		t.Fatalf("login: %v", err)
	}
	req, _ := http.NewRequest(http.MethodPost, w.srv.APIEndpoint()+"/clusters/"+id+"?action=generateKubeconfig", nil)
	req.Header.Set("Authorization", "Bearer "+login.Token)
	resp, err = w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Config string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.Load([]byte(out.Config))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestRancherDiscover: every page of /v3/clusters, with state, provider and
// version; the login is asked once and kept (the second discover sends no
// login); every auth provider logs in at its own endpoint.
func TestRancherDiscover(t *testing.T) {
	w := newRancherWorld(t)
	r := w.rancher(t, "discover", "-o", "json")
	if r.code != 0 {
		t.Fatalf("discover: exit %d\n%s", r.code, r.stderr)
	}
	var cs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil {
		t.Fatalf("discover -o json: %v\n%s", err, r.stdout)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c["name"].(string)+"/"+c["status"].(string)+"/"+c["kind"].(string)+"/"+c["version"].(string))
		if c["provider"] != "rancher" || c["id"] != w.srv.APIEndpoint()+"/clusters/"+strings.TrimPrefix(c["id"].(string), w.srv.APIEndpoint()+"/clusters/") {
			t.Errorf("cluster %v", c)
		}
	}
	want := "dev/active/k3s/v1.30.2+k3s1,edge/provisioning/imported/,prod/active/rke2/v1.31.4+rke2r1"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("clusters %s, want %s", got, want)
	}
	if n := w.srv.Requests["GET /v3/clusters"]; n != 2 {
		t.Errorf("%d GET /v3/clusters, want 2 (two pages)", n)
	}
	// The login token is reused: no password, no login.
	r2 := w.run(t, "", nil, "discover", "--provider", "rancher", "--api-endpoint", w.srv.APIEndpoint())
	if r2.code != 0 || !strings.Contains(r2.stdout, "c-prod1") {
		t.Fatalf("second discover: exit %d\n%s\n%s", r2.code, r2.stdout, r2.stderr)
	}
	if n := w.srv.Requests["POST /v3-public/localProviders/local"]; n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
	for _, tc := range []struct{ provider, user, password, path string }{
		{"activedirectory", "bob", "ad-Passw0rd-of-bob", "/v3-public/activeDirectoryProviders/activedirectory"},
		{"openldap", "carol", "ldap-Passw0rd-of-carol", "/v3-public/openLdapProviders/openldap"},
	} {
		w2 := newRancherWorld(t)
		w2.srv.Users = w.srv.Users
		r := w2.run(t, "", []string{"KCC_CONNECT_PASSWORD=" + tc.password}, "discover", "--provider", "rancher",
			"--api-endpoint", w2.srv.APIEndpoint(), "--auth-provider", tc.provider, "--username", tc.user)
		if r.code != 0 || w2.srv.Requests["POST "+tc.path] != 1 {
			t.Errorf("%s: exit %d, %d logins\n%s", tc.provider, r.code, w2.srv.Requests["POST "+tc.path], r.stderr)
		}
		w2.noSecrets(t, r)
	}
	// An API token instead of a login.
	tok := w.srv.Tokens()[0].Value()
	r3 := newRancherWorld(t)
	r3.srv = w.srv
	r3.env = append(r3.env, "SSL_CERT_FILE="+filepath.Join(w.dir, "rancher-ca.pem"))
	rt := r3.run(t, "", []string{"KCC_CONNECT_TOKEN=" + tok}, "discover", "--provider", "rancher", "--api-endpoint", w.srv.APIEndpoint(), "--auth-provider", "token")
	if rt.code != 0 || !strings.Contains(rt.stdout, "c-dev22") {
		t.Errorf("--auth-provider token: exit %d\n%s", rt.code, rt.stderr)
	}
	w.noSecrets(t, r, r2, rt)
}

// TestRancherUse: use writes Rancher's kubeconfig losslessly — the
// cluster's context and its ACE contexts, named, served and trusted as
// Rancher's file has them — with users that run kcc-connect token under
// kcc-cache; --ace makes an ACE context current; the same use again changes
// no byte; history and to write the entry again; --plaintext-token keeps
// Rancher's token in the file.
func TestRancherUse(t *testing.T) {
	w := newRancherWorld(t)
	orig := "# mine\napiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\ncurrent-context: \"\"\n"
	if err := os.WriteFile(w.kubeconfig, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	r := w.rancher(t, "use", "-k", w.kubeconfig, "prod", "--ace=prod-cp2")
	if r.code != 0 {
		t.Fatalf("use: exit %d\n%s", r.code, r.stderr)
	}
	first, _ := os.ReadFile(w.kubeconfig)
	if !bytes.HasPrefix(first, []byte("# mine\n")) {
		t.Errorf("the file's comment is gone:\n%s", first)
	}
	cfg := loadKubeconfig(t, w.kubeconfig)
	if cfg.CurrentContext != "prod-cp2" {
		t.Errorf("current-context %q, want prod-cp2 (--ace)", cfg.CurrentContext)
	}
	wantServers := map[string]string{
		"prod":     w.srv.URL + "/k8s/clusters/c-prod1",
		"prod-cp1": w.srv.URL + "/ace/c-prod1/cp1",
		"prod-cp2": w.srv.URL + "/ace/c-prod1/cp2",
	}
	if len(cfg.Contexts) != 3 {
		t.Errorf("%d contexts, want 3: %v", len(cfg.Contexts), cfg.Contexts)
	}
	for ctxName, server := range wantServers {
		c := cfg.Contexts[ctxName]
		if c == nil {
			t.Errorf("no context %q", ctxName)
			continue
		}
		cl, u := cfg.Clusters[c.Cluster], cfg.AuthInfos[c.AuthInfo]
		if cl == nil || cl.Server != server || !bytes.Equal(cl.CertificateAuthorityData, w.srv.CAPEM()) {
			t.Errorf("context %s: cluster %+v, want server %s and Rancher's CA", ctxName, cl, server)
		}
		if u == nil || u.Token != "" || u.Exec == nil || u.Exec.Command != "kcc-cache" ||
			strings.Join(u.Exec.Args, " ") != "kcc-connect token --api-endpoint "+w.srv.APIEndpoint()+" --cluster c-prod1" {
			t.Errorf("context %s: user %+v", ctxName, u)
		}
	}
	// Field for field what Rancher's own file says, asked of the stand-in
	// directly: every context, named as Rancher names it, its cluster's
	// server and CA.
	ref := w.generate(t, "c-prod1")
	for name, rc := range ref.Contexts {
		c := cfg.Contexts[name]
		if c == nil {
			t.Errorf("Rancher's context %q is missing", name)
			continue
		}
		want, got := ref.Clusters[rc.Cluster], cfg.Clusters[c.Cluster]
		if got == nil || got.Server != want.Server || !bytes.Equal(got.CertificateAuthorityData, want.CertificateAuthorityData) {
			t.Errorf("context %q: cluster %+v, Rancher's %+v", name, got, want)
		}
	}
	// Idempotent: the same use changes nothing (but the token in the store).
	r2 := w.rancher(t, "use", "-k", w.kubeconfig, "c-prod1", "--ace=prod-cp2")
	if again, _ := os.ReadFile(w.kubeconfig); r2.code != 0 || !bytes.Equal(again, first) {
		t.Errorf("second use: exit %d, file changed:\n%s\n%s", r2.code, again, r2.stderr)
	}
	// The replaced kubeconfig token was revoked.
	revoked := 0
	for _, tk := range w.srv.Tokens() {
		if tk.Kubeconfig && tk.Revoked {
			revoked++
		}
	}
	if revoked != 1 {
		t.Errorf("%d kubeconfig tokens revoked, want the replaced one", revoked)
	}
	// history lists the three; to the cluster's own one writes it again
	// and makes it current.
	h := w.run(t, "", nil, "history", "-o", "json")
	var entries []struct{ ID, ClusterID, Provider, Context string }
	if err := json.Unmarshal([]byte(h.stdout), &entries); err != nil {
		t.Fatalf("history: %v\n%s", err, h.stdout)
	}
	id := ""
	for _, e := range entries {
		if e.Provider == "rancher" && e.Context == "prod" {
			id = e.ID
		}
	}
	if len(entries) != 3 || id == "" {
		t.Fatalf("history %+v", entries)
	}
	to := w.run(t, "", nil, "to", id)
	if to.code != 0 {
		t.Fatalf("to: exit %d\n%s", to.code, to.stderr)
	}
	if cfg := loadKubeconfig(t, w.kubeconfig); cfg.CurrentContext != "prod" || len(cfg.Contexts) != 3 {
		t.Errorf("after to: current-context %q, %d contexts", cfg.CurrentContext, len(cfg.Contexts))
	}
	// to an ACE entry makes that direct context current again.
	ace := ""
	for _, e := range entries {
		if e.Context == "prod-cp1" {
			ace = e.ID
		}
	}
	toACE := w.run(t, "", nil, "to", ace)
	if cfg := loadKubeconfig(t, w.kubeconfig); toACE.code != 0 || cfg.CurrentContext != "prod-cp1" || len(cfg.Contexts) != 3 {
		t.Errorf("to the ACE entry: exit %d, current-context %q\n%s", toACE.code, cfg.CurrentContext, toACE.stderr)
	}
	w.noSecrets(t, r, r2, h, to, toACE)

	// --plaintext-token: Rancher's token in the file, nothing in the store.
	plain := filepath.Join(t.TempDir(), "plain")
	rp := w.rancher(t, "use", "-k", plain, "dev", "--plaintext-token")
	if rp.code != 0 {
		t.Fatalf("use --plaintext-token: exit %d\n%s", rp.code, rp.stderr)
	}
	pc := loadKubeconfig(t, plain)
	u := pc.AuthInfos[pc.Contexts["dev"].AuthInfo]
	last := w.srv.Tokens()
	found := false
	for _, tk := range last {
		found = found || (tk.Kubeconfig && u.Token == tk.Value())
	}
	if u.Exec != nil || !found {
		t.Errorf("--plaintext-token user %+v", u)
	}
}

// TestRancherBadInput: wrong password, an expired login token with no way
// to log in again, a missing endpoint, a bad endpoint, an unknown cluster,
// --ace without ACE, and token without a stored token: one line each,
// nothing written.
func TestRancherBadInput(t *testing.T) {
	w := newRancherWorld(t)
	ep := w.srv.APIEndpoint()
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string
		code  int
	}{
		{"wrong password", "nope\n", []string{"discover", "--provider", "rancher", "--api-endpoint", ep, "--username", rancherUser, "--password-stdin"},
			"login to " + ep + " as alice (local) failed: wrong username or password", 1},
		{"no endpoint", "", []string{"discover", "--provider", "rancher"}, "the rancher provider needs --api-endpoint", 2},
		{"http endpoint", "", []string{"discover", "--provider", "rancher", "--api-endpoint", "http://rancher.example/v3"}, "want https://HOST/v3", 2},
		{"bad auth provider", "", []string{"discover", "--provider", "rancher", "--api-endpoint", ep, "--auth-provider", "github"}, "--auth-provider \"github\": want local", 2},
		{"eks flag", "", []string{"discover", "--provider", "rancher", "--api-endpoint", ep, "--region", "x"}, "--region is not a flag of --provider rancher", 2},
		{"rancher flag elsewhere", "", []string{"discover", "--api-endpoint", ep}, "--api-endpoint is for --provider rancher, and the provider is eks", 2},
		{"no terminal", "", []string{"discover", "--provider", "rancher", "--api-endpoint", ep}, "no terminal to ask for the username and password", 1},
		{"unknown cluster", rancherPassword + "\n", []string{"use", "-k", w.kubeconfig, "--provider", "rancher", "--api-endpoint", ep, "--username", rancherUser, "--password-stdin", "nosuch"}, "no cluster \"nosuch\" found (looked in " + ep + ")", 1},
		{"ace without ace", rancherPassword + "\n", []string{"use", "-k", w.kubeconfig, "--provider", "rancher", "--api-endpoint", ep, "--username", rancherUser, "--password-stdin", "dev", "--ace"}, "--ace: no selected cluster has an authorized cluster endpoint", 1},
		{"token not stored", "", []string{"token", "--api-endpoint", ep, "--cluster", "c-dev22"}, "no Rancher token for cluster c-dev22 in kcc's store (expired, logged out, or never written): run kcc-connect use --provider rancher --api-endpoint " + ep + " c-dev22", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.run(t, tc.stdin, nil, tc.args...)
			if r.code != tc.code || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "kcc-connect: ") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and one line with %q", r.code, r.stdout, r.stderr, tc.code, tc.want)
			}
			if _, err := os.Stat(w.kubeconfig); !os.IsNotExist(err) {
				t.Errorf("a kubeconfig was written")
			}
			w.noSecrets(t, r)
		})
	}

	// A wrong API token: one line, the token not in it.
	bad := "token-9:not-the-secret-at-all"
	r := w.run(t, "", []string{"KCC_CONNECT_TOKEN=" + bad}, "discover", "--provider", "rancher", "--api-endpoint", ep, "--auth-provider", "token")
	if want := "kcc-connect: " + ep + " refused the API token (revoked, expired or mistyped)\n"; r.code != 1 || r.stderr != want {
		t.Errorf("wrong API token: exit %d, stderr %q", r.code, r.stderr)
	}

	// A stored login token that expired on the server: forgotten, and
	// one line naming what to run.
	if r := w.rancher(t, "discover"); r.code != 0 {
		t.Fatalf("discover: %s", r.stderr)
	}
	w.srv.Expire()
	r = w.run(t, "", nil, "discover", "--provider", "rancher", "--api-endpoint", ep)
	want := "kcc-connect: the stored login token for " + ep + " was refused (revoked or expired) and is forgotten; logging in again: no terminal to ask for the username and password: give --username with --password-stdin or $KCC_CONNECT_PASSWORD\n"
	if r.code != 1 || r.stderr != want {
		t.Errorf("expired login: exit %d, stderr %q\nwant %q", r.code, r.stderr, want)
	}
	// Logged in again: it works.
	if r := w.rancher(t, "discover"); r.code != 0 {
		t.Errorf("discover after the expiry: %s", r.stderr)
	}
}

// TestRancherKubectlTokenLogout: kubectl → kcc-cache → kcc-connect token →
// the stand-in's cluster API, which checks the kubeconfig token; the second
// call is a cache hit. logout revokes the login token and forgets it;
// after the kubeconfig token expires, kcc-connect token says what to run.
func TestRancherKubectlTokenLogout(t *testing.T) {
	w := newRancherWorld(t)
	kubectl := testbin.Require(t, "kubectl")
	if r := w.rancher(t, "use", "-k", w.kubeconfig, "prod"); r.code != 0 {
		t.Fatalf("use: %s", r.stderr)
	}
	bin := t.TempDir()
	testbin.Build(t, bin, "kcc-cache")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "kcc-connect")); err != nil {
		t.Fatal(err)
	}
	kube := func(t *testing.T) (string, error) {
		cmd := exec.Command(kubectl, "--kubeconfig", w.kubeconfig, "version", "-o", "json")
		cmd.Env = append(append([]string(nil), w.env...),
			"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			runMainEnv+"=1",
			"KUBE_CREDENTIAL_CACHE_DEBUG=1",
		)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for i := range 2 {
		out, err := kube(t)
		if err != nil || !strings.Contains(out, "v1.31.4-rancher-test") {
			t.Fatalf("kubectl call %d: %v\n%s", i+1, err, out)
		}
		first := "debug: miss"
		if i == 1 {
			first = "debug: hit:"
		}
		if !strings.Contains(out, first) {
			t.Errorf("kubectl call %d: kcc-cache did not answer with %q:\n%s", i+1, first, out)
		}
		w.noSecrets(t, result{stdout: out})
	}
	if w.srv.K8sCalls < 2 {
		t.Errorf("the cluster API saw %d checked calls, want 2 or more", w.srv.K8sCalls)
	}

	lo := w.run(t, "", nil, "logout", "--provider", "rancher", "--api-endpoint", w.srv.APIEndpoint())
	if lo.code != 0 || !strings.Contains(lo.stdout, "logged out of "+w.srv.APIEndpoint()) {
		t.Fatalf("logout: exit %d\n%s%s", lo.code, lo.stdout, lo.stderr)
	}
	for _, tk := range w.srv.Tokens() {
		if !tk.Kubeconfig && !tk.Revoked {
			t.Errorf("login token %s not revoked", tk.Name)
		}
	}
	again := w.run(t, "", nil, "logout", "--provider", "rancher", "--api-endpoint", w.srv.APIEndpoint())
	if again.code != 0 || !strings.Contains(again.stderr, "not logged in") {
		t.Errorf("second logout: exit %d\n%s", again.code, again.stderr)
	}
	w.noSecrets(t, lo, again)

	// A kubeconfig token that has expired: kcc-connect token says what to
	// run, in one line.
	w.srv.KubeconfigTTL = -time.Minute
	if r := w.rancher(t, "use", "-k", w.kubeconfig, "dev"); r.code != 0 {
		t.Fatalf("use: %s", r.stderr)
	}
	tr := w.run(t, "", nil, "token", "--api-endpoint", w.srv.APIEndpoint(), "--cluster", "c-dev22")
	want := "kcc-connect: no Rancher token for cluster c-dev22 in kcc's store (expired, logged out, or never written): run kcc-connect use --provider rancher --api-endpoint " + w.srv.APIEndpoint() + " c-dev22\n"
	if tr.code != 1 || tr.stdout != "" || tr.stderr != want {
		t.Errorf("token with an expired token: exit %d, stderr %q", tr.code, tr.stderr)
	}
}

// TestRancherPromptOnATerminal: with no --username and no password given,
// kcc-connect asks for both on the terminal, the password without echo;
// the screen never shows it, and the login is kept for the next command.
func TestRancherPromptOnATerminal(t *testing.T) {
	testbin.Require(t, "tmux")
	w := newRancherWorld(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := append(append([]string(nil), w.env...), runMainEnv+"=1")
	term := testbin.StartTerminal(t, env, testbin.Quote(self, "discover", "--provider", "rancher", "--api-endpoint", w.srv.APIEndpoint()))
	term.WaitFor(t, "Username for "+w.srv.APIEndpoint()+": ")
	term.Send(t, "-l", rancherUser)
	term.Send(t, "Enter")
	term.WaitFor(t, "Password for "+rancherUser+" at ")
	term.Send(t, "-l", rancherPassword)
	term.Send(t, "Enter")
	screen := term.WaitFor(t, "EXIT:")
	if !strings.Contains(screen, "EXIT:0") || !strings.Contains(screen, "c-prod1") {
		t.Errorf("discover on a terminal:\n%s", screen)
	}
	if strings.Contains(screen, rancherPassword) {
		t.Errorf("the password was echoed:\n%s", screen)
	}
	if n := w.srv.Requests["POST /v3-public/localProviders/local"]; n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
	w.noSecrets(t)
}
