package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"

	"github.com/IvMisticos/kube-credential-cache/internal/azuretest"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// aksWorld is the outside world of the aks tests. No Azure emulator
// exists: the real Azure SDK in kcc-connect talks to local TLS stand-ins
// for Entra ID and Resource Manager (internal/azuretest), reached only as
// a user of Azure Stack or a private cloud reaches theirs: the environment
// file at AZURE_ENVIRONMENT_FILEPATH, --environment AzureStackCloud, and
// the stand-ins' certificates in SSL_CERT_FILE. Resource Manager checks
// every bearer token (signature, issuer, audience). The identity is a
// service principal in the environment, as in CI.
type aksWorld struct {
	dir      string
	entra    *azuretest.Entra
	arm      *azuretest.ARM
	env      []string
	clusters map[string]*azuretest.Cluster
}

const (
	aksClientID = "0d2c6b8e-7a11-4f3c-9d55-1e0f2a3b4c5d"
	aksSecret   = "kcc-connect-test-client-secret-Zq8"
	aksSubA     = "11111111-0000-0000-0000-00000000000a"
	aksSubB     = "11111111-0000-0000-0000-00000000000b"
	aksSubC     = "11111111-0000-0000-0000-00000000000c"
	aksDenied   = "11111111-0000-0000-0000-0000000000dd"
)

func newAKSWorld(t *testing.T) *aksWorld {
	t.Helper()
	w := &aksWorld{dir: t.TempDir(), clusters: map[string]*azuretest.Cluster{}}
	w.entra = azuretest.StartEntra(t)
	w.entra.AddClient(aksClientID, aksSecret)
	w.arm = azuretest.StartARM(t, w.entra)
	for _, s := range []azuretest.Subscription{{ID: aksSubA, Name: "team-a"}, {ID: aksSubB, Name: "team-b"}, {ID: aksSubC, Name: "team-c"}, {ID: aksDenied, Name: "no-access", Denied: true}} {
		w.arm.AddSubscription(s)
	}
	add := func(c *azuretest.Cluster) {
		ca, leaf := gkeTestCA(t)
		c.CA, c.Location, c.Version, c.Tenant = ca, "westeurope", "1.31.2", w.entra.Tenant
		if c.LocalAccounts {
			key, err := x509.MarshalECPrivateKey(leaf.PrivateKey.(*ecdsa.PrivateKey))
			if err != nil {
				t.Fatal(err)
			}
			c.ClientCert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Certificate[0]})
			c.ClientKey = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: key})
			c.Token = "static-token-of-" + c.Name + "-0123456789abcdef"
		}
		w.clusters[c.Name] = c
		w.arm.AddCluster(c)
	}
	// Three subscriptions, two resource groups; public and private
	// FQDNs; Entra ID (exec and legacy shapes) and local accounts.
	add(&azuretest.Cluster{Subscription: aksSubA, ResourceGroup: "rg-one", Name: "aad-public", AAD: true, FQDN: "aad-public-dns-1a2b.hcp.westeurope.azmk8s.io"})
	add(&azuretest.Cluster{Subscription: aksSubB, ResourceGroup: "rg-two", Name: "aad-private", AAD: true, LocalAccounts: true, Legacy: true,
		FQDN: "aad-private-dns-3c4d.hcp.westeurope.azmk8s.io", PrivateFQDN: "aad-private-dns-3c4d.5e6f.privatelink.westeurope.azmk8s.io"})
	add(&azuretest.Cluster{Subscription: aksSubC, ResourceGroup: "rg-one", Name: "local-public", LocalAccounts: true, FQDN: "local-public-dns-7a8b.hcp.westeurope.azmk8s.io"})
	add(&azuretest.Cluster{Subscription: aksSubA, ResourceGroup: "rg-two", Name: "local-private", LocalAccounts: true, PrivateFQDN: "local-private-dns-9c0d.1e2f.privatelink.westeurope.azmk8s.io"})
	add(&azuretest.Cluster{Subscription: aksSubB, ResourceGroup: "rg-one", Name: "malformed", LocalAccounts: true, FQDN: "malformed-dns.hcp.westeurope.azmk8s.io", Malformed: true})
	add(&azuretest.Cluster{Subscription: aksSubC, ResourceGroup: "rg-two", Name: "vanishing", AAD: true, FQDN: "vanishing-dns.hcp.westeurope.azmk8s.io", Vanishing: true})

	certs := filepath.Join(w.dir, "certs.pem")
	entraPEM, err := os.ReadFile(w.entra.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certs, append(entraPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: w.arm.Certificate()})...), 0o600); err != nil {
		t.Fatal(err)
	}
	w.env = []string{
		"HOME=" + filepath.Join(w.dir, "home"),
		"SSL_CERT_FILE=" + certs,
		"AZURE_ENVIRONMENT_FILEPATH=" + w.entra.EnvironmentFile(t, w.arm.URL),
		"AZURE_TENANT_ID=" + w.entra.Tenant,
		"AZURE_CLIENT_ID=" + aksClientID,
		"AZURE_CLIENT_SECRET=" + aksSecret,
		"KCC_CONNECT_CONFIG=" + filepath.Join(w.dir, "kcc-connect.yaml"),
		"KCC_CONNECT_HISTORY_FILE=" + filepath.Join(w.dir, "history.yaml"),
		"KCC_CONNECT_NO_VERSION_CHECK=1",
	}
	return w
}

// connect runs kcc-connect --provider aks in the world's cloud; every
// run's output is checked for secrets.
func (w *aksWorld) connect(t *testing.T, args ...string) result {
	t.Helper()
	return w.connectEnv(t, w.env, args...)
}

func (w *aksWorld) connectEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	if len(args) > 0 {
		args = append([]string{args[0], "--provider", "aks", "--environment", "AzureStackCloud"}, args[1:]...)
	}
	r := kccConnect(t, env, args...)
	w.noSecrets(t, "output of "+strings.Join(args, " "), r.stdout+r.stderr)
	return r
}

// noSecrets fails when text holds the client secret, a token Resource
// Manager received, or a local account's static token.
func (w *aksWorld) noSecrets(t *testing.T, what, text string) {
	t.Helper()
	secrets := append([]string{aksSecret}, w.arm.Tokens()...)
	for _, c := range w.clusters {
		if c.Token != "" {
			secrets = append(secrets, c.Token)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s holds a secret (%.12s…)", what, s)
		}
	}
}

// noSecretFiles checks every file under the world's directory that
// kcc-connect writes (kubeconfigs, history, config).
func (w *aksWorld) noSecretFiles(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range append(dirs, w.dir) {
		filepath.WalkDir(d, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || strings.HasSuffix(path, ".pem") || strings.HasSuffix(path, ".json") {
				return nil
			}
			b, _ := os.ReadFile(path)
			w.noSecrets(t, path, string(b))
			return nil
		})
	}
}

// TestAKSUseMatchesCredential: for Entra ID and local-account clusters,
// public and private FQDNs, across three subscriptions and two resource
// groups, the entry use writes has the server and CA of the kubeconfig
// the credential action returns (read with client-go), and its user is
// kcc-cache kcc-aks get-token for Entra ID clusters (Azure kubelogin with
// --exec kubelogin, no kcc-cache with --no-cache) and the credential's own
// client certificate (no exec) for local accounts.
func TestAKSUseMatchesCredential(t *testing.T) {
	w := newAKSWorld(t)
	for _, tc := range []struct {
		name, cluster, fqdnType string
		extra                   []string
		admin                   bool
	}{
		{name: "aad exec shape", cluster: "aad-public"},
		{name: "aad public fqdn", cluster: "aad-public", fqdnType: "public"},
		{name: "aad legacy shape, private by default", cluster: "aad-private"},
		{name: "aad private cluster, public fqdn", cluster: "aad-private", fqdnType: "public"},
		{name: "aad private cluster, private fqdn", cluster: "aad-private", fqdnType: "private"},
		{name: "aad admin credential", cluster: "aad-private", admin: true},
		{name: "aad kubelogin", cluster: "aad-public", extra: []string{"--exec", "kubelogin"}},
		{name: "aad no cache, spn", cluster: "aad-public", extra: []string{"--no-cache", "--login", "spn"}},
		{name: "local account public", cluster: "local-public"},
		{name: "local account private", cluster: "local-private", fqdnType: "private"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := w.clusters[tc.cluster]
			kc := filepath.Join(t.TempDir(), "config")
			args := []string{"use", "-k", kc, c.ID()}
			if tc.fqdnType != "" {
				args = append(args, "--server-fqdn-type", tc.fqdnType)
			}
			if tc.admin {
				args = append(args, "--admin")
			}
			args = append(args, tc.extra...)
			if r := w.connect(t, args...); r.code != 0 {
				t.Fatalf("use: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			cred, err := c.Credential(tc.fqdnType, "", tc.admin)
			if err != nil {
				t.Fatal(err)
			}
			want, err := clientcmd.Load(cred)
			if err != nil {
				t.Fatal(err)
			}
			wantCtx := want.Contexts[want.CurrentContext]
			wc, wu := want.Clusters[wantCtx.Cluster], want.AuthInfos[wantCtx.AuthInfo]
			got := loadGKEKubeconfig(t, kc)
			gotCtx := got.Contexts[got.CurrentContext]
			if gotCtx == nil {
				t.Fatalf("no current context in\n%+v", got)
			}
			gc, gu := got.Clusters[gotCtx.Cluster], got.AuthInfos[gotCtx.AuthInfo]
			if gotCtx.Cluster != c.ID() || gc.Server != wc.Server || string(gc.CertificateAuthorityData) != string(wc.CertificateAuthorityData) || len(gc.CertificateAuthorityData) == 0 {
				t.Errorf("cluster %s %s (CA %d bytes), want %s %s (CA %d bytes)", gotCtx.Cluster, gc.Server, len(gc.CertificateAuthorityData), c.ID(), wc.Server, len(wc.CertificateAuthorityData))
			}
			if wu.Exec != nil || wu.AuthProvider != nil {
				wantArgs := []string{"get-token", "--environment", "AzureStackCloud", "--server-id", azuretest.AKSServerID,
					"--client-id", azuretest.AKSClientID, "--tenant-id", w.entra.Tenant, "--login", "devicecode"}
				command, plugin := "kcc-cache", "kcc-aks"
				switch {
				case slicesContains(tc.extra, "kubelogin"):
					plugin = "kubelogin"
				case slicesContains(tc.extra, "--no-cache"):
					command = "kcc-aks"
					wantArgs = []string{"get-token", "--environment", "AzureStackCloud", "--server-id", azuretest.AKSServerID, "--tenant-id", w.entra.Tenant, "--login", "spn"}
				}
				if command == "kcc-cache" {
					wantArgs = append([]string{plugin}, wantArgs...)
				}
				if gu.Exec == nil || gu.Exec.Command != command || !reflect.DeepEqual(gu.Exec.Args, wantArgs) || gu.ClientCertificateData != nil {
					t.Errorf("user %+v, exec %+v; want %s %v", gu, gu.Exec, command, wantArgs)
				}
				return
			}
			if gu.Exec != nil || string(gu.ClientCertificateData) != string(wu.ClientCertificateData) || string(gu.ClientKeyData) != string(wu.ClientKeyData) || len(gu.ClientKeyData) == 0 || gu.Token != "" {
				t.Errorf("user %+v, want the credential's client certificate and key and no exec or token", gu)
			}
			if fi, err := os.Stat(kc); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("kubeconfig with a client key: %v, mode %v; want 0600", err, fi.Mode())
			}
		})
	}
	w.noSecretFiles(t)
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestAKSDiscover: every visible subscription is listed (the one without
// access is one warning line), with each cluster's AKS fields;
// --subscription-name and --resource-group narrow the scan.
func TestAKSDiscover(t *testing.T) {
	w := newAKSWorld(t)
	r := w.connect(t, "discover", "-o", "json")
	if r.code != 0 {
		t.Fatalf("discover: exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "kcc-connect: ") || !strings.Contains(lines[0], "subscription "+aksDenied+" (no-access): 403 AuthorizationFailed") {
		t.Errorf("stderr %q, want one warning line about %s", r.stderr, aksDenied)
	}
	var cs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil || len(cs) != len(w.clusters) {
		t.Fatalf("discover -o json: %v, %d clusters, want %d\n%s", err, len(cs), len(w.clusters), r.stdout)
	}
	byName := map[string]map[string]any{}
	for _, c := range cs {
		byName[c["name"].(string)] = c
	}
	for k, v := range map[string]any{"provider": "aks", "id": w.clusters["aad-private"].ID(), "subscription": aksSubB, "resourceGroup": "rg-two",
		"location": "westeurope", "aad": true, "localAccounts": true, "fqdn": w.clusters["aad-private"].FQDN,
		"privateFqdn": w.clusters["aad-private"].PrivateFQDN, "version": "1.31.2", "status": "Running", "tenant": w.entra.Tenant} {
		if got := byName["aad-private"][k]; got != v {
			t.Errorf("aad-private %s = %v, want %v", k, got, v)
		}
	}
	if got := byName["local-public"]["aad"]; got != false {
		t.Errorf("local-public aad = %v, want false", got)
	}

	r = w.connect(t, "discover", "--subscription-name", "team-a", "--subscription-name", "team-b", "--resource-group", "rg-two", "-o", "json")
	var narrowed []struct{ Name string }
	if err := json.Unmarshal([]byte(r.stdout), &narrowed); r.code != 0 || err != nil || len(narrowed) != 2 || narrowed[0].Name != "aad-private" || narrowed[1].Name != "local-private" {
		t.Errorf("--subscription-name team-a,team-b --resource-group rg-two: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
}

// TestAKSPaging: a subscription with more clusters than a page lists them
// all, following nextLink.
func TestAKSPaging(t *testing.T) {
	w := newAKSWorld(t)
	const many = 205
	for i := range many {
		w.arm.AddCluster(&azuretest.Cluster{Subscription: aksSubC, ResourceGroup: "rg-bulk", Name: fmt.Sprintf("bulk-%03d", i), Location: "westeurope", FQDN: "bulk.example"})
	}
	r := w.connect(t, "discover", "--subscription-id", aksSubC, "--resource-group", "rg-bulk", "-o", "json")
	var cs []struct{ Name string }
	if err := json.Unmarshal([]byte(r.stdout), &cs); r.code != 0 || err != nil || len(cs) != many {
		t.Fatalf("discover: exit %d, %v, %d clusters, want %d\n%s", r.code, err, len(cs), many, r.stderr)
	}
	pages := 0
	for _, req := range w.arm.Requests() {
		if strings.HasSuffix(req, "/resourceGroups/rg-bulk/providers/Microsoft.ContainerService/managedClusters") {
			pages++
		}
	}
	if pages != 3 {
		t.Errorf("%d list pages, want 3 (205 clusters, 100 a page)", pages)
	}
}

// TestAKSHistoryAndTo: use records the entry; to writes it again from
// the history (reading the cluster and its credential again) and makes it
// current; an admin entry stays an admin entry.
func TestAKSHistoryAndTo(t *testing.T) {
	w := newAKSWorld(t)
	kc := filepath.Join(w.dir, "config")
	if r := w.connect(t, "use", "-k", kc, "--alias", "dev", "aad-public"); r.code != 0 {
		t.Fatalf("use: exit %d\n%s", r.code, r.stderr)
	}
	if r := w.connect(t, "use", "-k", kc, "--admin", "local-public"); r.code != 0 {
		t.Fatalf("use --admin: exit %d\n%s", r.code, r.stderr)
	}
	r := kccConnect(t, w.env, "history", "-o", "json")
	var hs []struct{ ID, ClusterID, Provider, Profile, Alias, Context string }
	if err := json.Unmarshal([]byte(r.stdout), &hs); err != nil || len(hs) != 2 || hs[0].Profile != "admin" || hs[1].Alias != "dev" || hs[1].Provider != "aks" || hs[1].ClusterID != w.clusters["aad-public"].ID() {
		t.Fatalf("history: %v %+v\n%s", err, hs, r.stderr)
	}
	if cfg := loadGKEKubeconfig(t, kc); cfg.CurrentContext != "local-public" {
		t.Fatalf("current-context %q after the second use", cfg.CurrentContext)
	}
	r = kccConnect(t, w.env, "to", "dev", "--environment", "AzureStackCloud")
	if r.code != 0 {
		t.Fatalf("to dev: exit %d\n%s", r.code, r.stderr)
	}
	cfg := loadGKEKubeconfig(t, kc)
	if cfg.CurrentContext != "dev" || cfg.Contexts["dev"].Cluster != w.clusters["aad-public"].ID() {
		t.Errorf("after to dev: current-context %q, contexts %v", cfg.CurrentContext, cfg.Contexts)
	}
	if r := kccConnect(t, w.env, "to", "-", "--environment", "AzureStackCloud"); r.code != 0 || loadGKEKubeconfig(t, kc).CurrentContext != "local-public" {
		t.Fatalf("to -: exit %d\n%s", r.code, r.stderr)
	}
	if u := loadGKEKubeconfig(t, kc).AuthInfos[cfg.Contexts["local-public"].AuthInfo]; u == nil || !strings.Contains(string(u.ClientCertificateData), "") || len(u.ClientKeyData) == 0 {
		t.Errorf("the admin entry written again has no client key: %+v", u)
	}
	// The cluster is deleted: to says so in one line and writes nothing.
	before, _ := os.ReadFile(kc)
	w.arm.RemoveCluster(w.clusters["aad-public"].ID())
	r = kccConnect(t, w.env, "to", "dev", "--environment", "AzureStackCloud")
	if r.code == 0 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "no longer exists") {
		t.Errorf("to a deleted cluster: exit %d, stderr %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(kc); string(after) != string(before) {
		t.Errorf("to a deleted cluster changed the kubeconfig")
	}
	w.noSecrets(t, "to's output", r.stdout+r.stderr)
	w.noSecretFiles(t)
}

// TestAKSBadInput: no Azure credential anywhere, a cluster that vanished
// between discovery and use, a credential whose kubeconfig is malformed,
// and a bad --server-fqdn-type: one line each on stderr, nothing written
// (no kubeconfig, no history), no secret printed.
func TestAKSBadInput(t *testing.T) {
	w := newAKSWorld(t)
	var noCred []string
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, "AZURE_CLIENT_") && !strings.HasPrefix(kv, "AZURE_TENANT_ID=") {
			noCred = append(noCred, kv)
		}
	}
	wrongSecret := append(append([]string(nil), noCred...), "AZURE_TENANT_ID="+w.entra.Tenant, "AZURE_CLIENT_ID="+aksClientID, "AZURE_CLIENT_SECRET=not-the-secret")
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"no credential", noCred, []string{"use", "--all"}, "no Azure credential found"},
		{"wrong secret", wrongSecret, []string{"use", "--all"}, "Entra ID refused the default credential (HTTP 401)"},
		{"cluster gone", w.env, []string{"use", "--subscription-id", aksSubC, "vanishing"}, "no longer exists (404 ResourceNotFound"},
		{"malformed credential", w.env, []string{"use", "--subscription-id", aksSubB, "malformed"}, "the kubeconfig listClusterUserCredential returned is not a kubeconfig"},
		{"bad fqdn type", w.env, []string{"use", "--server-fqdn-type", "both", "aad-public"}, "--server-fqdn-type \"both\": want public, private or auto"},
		{"eks flag", w.env, []string{"use", "--region", "eu-west-1", "aad-public"}, "--region is not a flag of --provider aks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kc := filepath.Join(t.TempDir(), "config")
			r := w.connectEnv(t, tc.env, append(tc.args, "-k", kc)...)
			msg := strings.TrimSpace(r.stderr)
			if r.code == 0 || strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "kcc-connect: ") || !strings.Contains(msg, tc.want) {
				t.Errorf("exit %d, stderr %q; want one line with %q", r.code, r.stderr, tc.want)
			}
			if _, err := os.Stat(kc); !os.IsNotExist(err) {
				t.Errorf("kubeconfig written: %v", err)
			}
			if _, err := os.Stat(filepath.Join(w.dir, "history.yaml")); !os.IsNotExist(err) {
				t.Errorf("history written: %v", err)
			}
		})
	}
	w.noSecretFiles(t)
}

// TestAKSLocalAccountKubectl: the entry of a local-account cluster works
// with the real kubectl and nothing else: kubectl presents the
// credential's client certificate to an in-test API server (which accepts
// that certificate only) and trusts it by the credential's CA; no plugin
// runs.
func TestAKSLocalAccountKubectl(t *testing.T) {
	kubectl := testbin.Require(t, "kubectl")
	w := newAKSWorld(t)
	serverCA, serverCert := gkeTestCA(t)
	c := &azuretest.Cluster{Subscription: aksSubA, ResourceGroup: "rg-one", Name: "kubectl-local", LocalAccounts: true, Location: "westeurope", Version: "1.31.2", FQDN: "kubectl-local.example"}
	_, client := gkeTestCA(t)
	key, err := x509.MarshalECPrivateKey(client.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	c.CA = serverCA
	c.ClientCert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: client.Certificate[0]})
	c.ClientKey = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: key})
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) == 0 || !bytes.Equal(r.TLS.PeerCertificates[0].Raw, client.Certificate[0]) || r.Header.Get("Authorization") != "" {
			http.Error(rw, `{"kind":"Status","code":401}`, http.StatusUnauthorized)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprint(rw, `{"major":"1","minor":"31","gitVersion":"v1.31.2-aks-test","platform":"linux/amd64"}`)
	}))
	api.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAnyClientCert}
	api.StartTLS()
	t.Cleanup(api.Close)
	c.Server = api.URL
	w.clusters[c.Name] = c
	w.arm.AddCluster(c)

	kc := filepath.Join(w.dir, "kubeconfig")
	if r := w.connect(t, "use", "-k", kc, c.ID()); r.code != 0 {
		t.Fatalf("use: exit %d\n%s", r.code, r.stderr)
	}
	cmd := exec.Command(kubectl, "--kubeconfig", kc, "version", "-o", "json")
	cmd.Env = []string{"PATH=" + t.TempDir(), "HOME=" + w.dir}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "v1.31.2-aks-test") {
		t.Fatalf("kubectl version: %v\n%s", err, out)
	}
}
