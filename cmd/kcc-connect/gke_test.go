package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
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

	"github.com/IvMisticos/kube-credential-cache/internal/gcptest"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// gkeWorld is the outside world of the gke tests: the real gcloud with its
// own configuration, a service account whose key's token_uri is a token
// endpoint of the test, and a local TLS stand-in of the container API (no
// GKE emulator exists) that both gcloud and kcc-connect reach only through
// gcloud's endpoint override and custom CA file.
type gkeWorld struct {
	dir, key, account string
	gcloudEnv         []string
	apiServer         *httptest.Server
	mu                sync.Mutex
	apiTokens         []string // bearer tokens the in-test API server saw
}

const (
	gkeProject  = "proj-a"
	gkeDenied   = "proj-denied"
	gkeLocation = "europe-west1"
	gkeCluster  = "demo"
	gkeDNS      = "gke-0123456789abcdef.europe-west1.gke.goog"
	gkePrivate  = "127.0.0.2"
)

func gkeToken(account string) string { return "ya29.kcc-connect-test-" + account }

func newGKEWorld(t *testing.T) *gkeWorld {
	t.Helper()
	gcloud := testbin.Require(t, "gcloud")
	testbin.Require(t, "gke-gcloud-auth-plugin")
	w := &gkeWorld{dir: t.TempDir()}
	w.account = "connect@" + gkeProject + ".iam.gserviceaccount.com"

	// Google's token endpoint, as far as a service-account key uses it.
	tokens := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var claims struct {
			Iss string `json:"iss"`
		}
		parts := strings.Split(r.PostFormValue("assertion"), ".")
		if r.PostFormValue("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || len(parts) != 3 {
			http.Error(rw, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
		if err != nil || json.Unmarshal(payload, &claims) != nil || claims.Iss == "" {
			http.Error(rw, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		json.NewEncoder(rw).Encode(map[string]any{"access_token": gkeToken(claims.Iss), "token_type": "Bearer", "expires_in": 3600})
	}))
	t.Cleanup(tokens.Close)
	w.key = filepath.Join(w.dir, "key.json")
	gcptest.WriteServiceAccountKey(t, w.key, gkeProject, w.account, tokens.URL+"/token")

	// The cluster's API server: answers /version to the account's token.
	// It asks for a client certificate, as kube-apiserver does.
	w.apiServer = httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.mu.Lock()
		w.apiTokens = append(w.apiTokens, tok)
		w.mu.Unlock()
		if tok != gkeToken(w.account) {
			http.Error(rw, `{"kind":"Status","code":401}`, http.StatusUnauthorized)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprint(rw, `{"major":"1","minor":"33","gitVersion":"v1.33.0-gke-test","platform":"linux/amd64"}`)
	}))
	w.apiServer.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	w.apiServer.StartTLS()
	t.Cleanup(w.apiServer.Close)
	apiCA := base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: w.apiServer.Certificate().Raw}))
	cluster := map[string]any{
		"name": gkeCluster, "location": gkeLocation, "zone": gkeLocation,
		"endpoint":             strings.TrimPrefix(w.apiServer.URL, "https://"),
		"status":               "RUNNING",
		"currentMasterVersion": "1.33.0-gke.100",
		"masterAuth":           map[string]any{"clusterCaCertificate": apiCA},
		"autopilot":            map[string]any{"enabled": true},
		"privateClusterConfig": map[string]any{"enablePrivateNodes": true, "privateEndpoint": gkePrivate},
		"controlPlaneEndpointsConfig": map[string]any{
			"dnsEndpointConfig": map[string]any{"endpoint": gkeDNS, "allowExternalTraffic": true},
			"ipEndpointsConfig": map[string]any{"enabled": true},
		},
	}

	// The container API stand-in: every request must carry the account's
	// token; the denied project answers 403 as GKE does.
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+gkeToken(w.account) {
			rw.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(rw, `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`)
			return
		}
		switch r.URL.Path {
		case "/v1/projects/" + gkeProject + "/locations/-/clusters":
			json.NewEncoder(rw).Encode(map[string]any{"clusters": []any{cluster}})
		case "/v1/projects/" + gkeProject + "/locations/" + gkeLocation + "/clusters/" + gkeCluster:
			json.NewEncoder(rw).Encode(cluster)
		case "/v1/projects":
			// Resource Manager's projects.list, in two pages; a project
			// being deleted is not listed for clusters.
			if r.URL.Query().Get("pageToken") == "" {
				fmt.Fprint(rw, `{"projects":[{"projectId":"`+gkeProject+`","lifecycleState":"ACTIVE"},{"projectId":"proj-gone","lifecycleState":"DELETE_REQUESTED"}],"nextPageToken":"2"}`)
				return
			}
			fmt.Fprint(rw, `{"projects":[{"projectId":"`+gkeDenied+`","lifecycleState":"ACTIVE"}]}`)
		case "/v1/projects/" + gkeDenied + "/locations/-/clusters":
			rw.WriteHeader(http.StatusForbidden)
			fmt.Fprint(rw, `{"error":{"code":403,"message":"Permission denied on resource project proj-denied.","status":"PERMISSION_DENIED"}}`)
		default:
			rw.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(rw, `{"error":{"code":404,"message":"not found: %s","status":"NOT_FOUND"}}`, r.URL.Path)
		}
	}))
	api.Config.ErrorLog = log.New(io.Discard, "", 0)
	caPEM, leaf := gkeTestCA(t)
	api.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
	api.StartTLS()
	t.Cleanup(api.Close)
	caFile := filepath.Join(w.dir, "container-ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}

	w.gcloudEnv = []string{
		"HOME=" + filepath.Join(w.dir, "home"),
		"CLOUDSDK_CONFIG=" + filepath.Join(w.dir, "gcloud"),
		"CLOUDSDK_CORE_DISABLE_PROMPTS=1",
		"CLOUDSDK_CORE_DISABLE_USAGE_REPORTING=true",
		"CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK=true",
	}
	for _, args := range [][]string{
		{"auth", "activate-service-account", "--key-file", w.key},
		{"config", "set", "api_endpoint_overrides/container", api.URL + "/"},
		{"config", "set", "api_endpoint_overrides/cloudresourcemanager", api.URL + "/"},
		{"config", "set", "core/custom_ca_certs_file", caFile},
	} {
		w.gcloud(t, gcloud, nil, args...)
	}
	return w
}

// noCloudSDKEnv is the environment without CLOUDSDK_* settings and the CA
// bundles of Python's requests: a machine's own would win over the test's
// configuration (requests prefers REQUESTS_CA_BUNDLE to gcloud's CA file).
func noCloudSDKEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CLOUDSDK_") && !strings.HasPrefix(kv, "REQUESTS_CA_BUNDLE=") && !strings.HasPrefix(kv, "CURL_CA_BUNDLE=") {
			env = append(env, kv)
		}
	}
	return env
}

// gcloud runs the real gcloud with the world's configuration.
func (w *gkeWorld) gcloud(t *testing.T, gcloud string, extraEnv []string, args ...string) {
	t.Helper()
	cmd := exec.Command(gcloud, args...)
	cmd.Env = append(append(noCloudSDKEnv(), w.gcloudEnv...), extraEnv...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gcloud %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// connect runs kcc-connect with gcloud's configuration and the key as ADC.
func (w *gkeWorld) connect(t *testing.T, args ...string) result {
	t.Helper()
	env := append(append([]string(nil), w.gcloudEnv...),
		"GOOGLE_APPLICATION_CREDENTIALS="+w.key,
		"KCC_CONNECT_CONFIG="+filepath.Join(w.dir, "kcc-connect.yaml"),
		"KCC_CONNECT_HISTORY_FILE="+filepath.Join(w.dir, "history.yaml"),
		"KCC_CONNECT_NO_VERSION_CHECK=1",
	)
	return kccConnect(t, env, args...)
}

// gkeTestCA is a CA (PEM) and a 127.0.0.1 certificate it signed: gcloud's
// Python checks strictly and refuses httptest's self-signed certificate.
func gkeTestCA(t *testing.T) ([]byte, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kcc-connect test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		SubjectKeyId: []byte{1, 2, 3, 4},
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, AuthorityKeyId: ca.SubjectKeyId,
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func loadGKEKubeconfig(t *testing.T, path string) *clientcmdapi.Config {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestGKEUseMatchesGcloud: for each endpoint kind, kcc-connect use --no-cache
// writes the cluster, the user's exec and the context name that the real
// `gcloud container clusters get-credentials` writes, field for field; with
// kcc-cache, the same exec behind kcc-cache.
func TestGKEUseMatchesGcloud(t *testing.T) {
	w := newGKEWorld(t)
	gcloud := testbin.Require(t, "gcloud")
	ctxName := "gke_" + gkeProject + "_" + gkeLocation + "_" + gkeCluster
	for _, tc := range []struct{ name, flag string }{
		{"public endpoint", ""},
		{"internal ip", "--internal-ip"},
		{"dns endpoint", "--dns-endpoint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ref := filepath.Join(dir, "gcloud")
			args := []string{"container", "clusters", "get-credentials", gkeCluster, "--location", gkeLocation, "--project", gkeProject}
			if tc.flag != "" {
				args = append(args, tc.flag)
			}
			w.gcloud(t, gcloud, []string{"KUBECONFIG=" + ref}, args...)
			mine := filepath.Join(dir, "kcc-connect")
			useArgs := []string{"use", "--provider", "gke", "--project", gkeProject, "--no-cache", "-k", mine, gkeCluster}
			if tc.flag != "" {
				useArgs = append(useArgs, tc.flag)
			}
			if r := w.connect(t, useArgs...); r.code != 0 {
				t.Fatalf("use: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			want, got := loadGKEKubeconfig(t, ref), loadGKEKubeconfig(t, mine)
			wantCtx, gotCtx := want.Contexts[ctxName], got.Contexts[ctxName]
			if wantCtx == nil || gotCtx == nil {
				t.Fatalf("context %s: gcloud has %v, kcc-connect %v", ctxName, want.Contexts, got.Contexts)
			}
			if got.CurrentContext != ctxName {
				t.Errorf("current-context %q, want %q", got.CurrentContext, ctxName)
			}
			wc, gc := want.Clusters[wantCtx.Cluster], got.Clusters[gotCtx.Cluster]
			if gotCtx.Cluster != wantCtx.Cluster || gc.Server != wc.Server || string(gc.CertificateAuthorityData) != string(wc.CertificateAuthorityData) {
				t.Errorf("cluster %s %s (CA %d bytes), gcloud's %s %s (CA %d bytes)", gotCtx.Cluster, gc.Server, len(gc.CertificateAuthorityData), wantCtx.Cluster, wc.Server, len(wc.CertificateAuthorityData))
			}
			we, ge := want.AuthInfos[wantCtx.AuthInfo].Exec, got.AuthInfos[gotCtx.AuthInfo].Exec
			if we == nil || ge == nil {
				t.Fatalf("exec: gcloud's %v, kcc-connect's %v", we, ge)
			}
			if ge.Command != we.Command || !reflect.DeepEqual(ge.Args, we.Args) || ge.APIVersion != we.APIVersion ||
				ge.ProvideClusterInfo != we.ProvideClusterInfo || ge.InstallHint != we.InstallHint || len(ge.Env) != len(we.Env) {
				t.Errorf("exec\n%+v\nwant gcloud's\n%+v", *ge, *we)
			}

			cached := filepath.Join(dir, "cached")
			if r := w.connect(t, append([]string{"use", "--provider", "gke", "--project", gkeProject, "-k", cached, gkeCluster}, useArgs[8:]...)...); r.code != 0 {
				t.Fatalf("use: exit %d\n%s", r.code, r.stderr)
			}
			c := loadGKEKubeconfig(t, cached)
			user := c.Contexts[ctxName].AuthInfo
			ce := c.AuthInfos[user].Exec
			wantEnv := []clientcmdapi.ExecEnvVar{{Name: "KUBE_CREDENTIAL_CACHE_USER", Value: user}}
			if ce.Command != "kcc-cache" || !reflect.DeepEqual(ce.Args, []string{we.Command}) || !reflect.DeepEqual(ce.Env, wantEnv) ||
				ce.ProvideClusterInfo != we.ProvideClusterInfo || ce.InstallHint != we.InstallHint {
				t.Errorf("cached exec %+v", *ce)
			}
		})
	}
}

// TestGKEAllProjects: --all-projects lists the clusters of every active
// project Resource Manager shows (both pages; through gcloud's override of
// its endpoint), the denied one a warning, the one being deleted not asked.
func TestGKEAllProjects(t *testing.T) {
	w := newGKEWorld(t)
	r := w.connect(t, "discover", "--provider", "gke", "--all-projects", "-o", "json")
	if r.code != 0 {
		t.Fatalf("discover: exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "project "+gkeDenied+": 403") {
		t.Errorf("stderr %q, want one warning line about %s", r.stderr, gkeDenied)
	}
	var cs []struct{ ID string }
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil || len(cs) != 1 || cs[0].ID != "gke_"+gkeProject+"_"+gkeLocation+"_"+gkeCluster {
		t.Errorf("discover -o json: %v\n%s", err, r.stdout)
	}
}

// TestGKEKubectlAndDeniedProject: discover lists the cluster with its GKE
// fields and turns a project without access (403) into one warning line;
// then kubectl → kcc-cache → the real gke-gcloud-auth-plugin (which asks
// the real gcloud, whose token comes from the key's local token_uri) → the
// in-test API server, which checks the token. The second kubectl call is
// answered from the cache.
func TestGKEKubectlAndDeniedProject(t *testing.T) {
	w := newGKEWorld(t)
	kubectl := testbin.Require(t, "kubectl")

	r := w.connect(t, "discover", "--provider", "gke", "--project", gkeProject, "--project", gkeDenied, "-o", "json")
	if r.code != 0 {
		t.Fatalf("discover: exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "project "+gkeDenied+": 403") || !strings.HasPrefix(lines[0], "kcc-connect: ") {
		t.Errorf("stderr %q, want one warning line about %s", r.stderr, gkeDenied)
	}
	var cs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil || len(cs) != 1 {
		t.Fatalf("discover -o json: %v\n%s", err, r.stdout)
	}
	for k, v := range map[string]any{"provider": "gke", "name": gkeCluster, "project": gkeProject, "location": gkeLocation,
		"endpoint": w.apiServer.URL, "privateEndpoint": gkePrivate, "autopilot": true, "status": "RUNNING", "version": "1.33.0-gke.100"} {
		if cs[0][k] != v {
			t.Errorf("%s = %v, want %v", k, cs[0][k], v)
		}
	}

	// The default project: the ADC key's.
	kc := filepath.Join(w.dir, "kubeconfig")
	if r := w.connect(t, "use", "--provider", "gke", "-k", kc, gkeCluster); r.code != 0 {
		t.Fatalf("use: exit %d\n%s", r.code, r.stderr)
	}
	bin := t.TempDir()
	testbin.Build(t, bin, "kcc-cache")
	for i := range 2 {
		cmd := exec.Command(kubectl, "--kubeconfig", kc, "version", "-o", "json")
		cmd.Env = append(noCloudSDKEnv(), w.gcloudEnv...)
		cmd.Env = append(cmd.Env,
			"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"KUBE_CREDENTIAL_CACHE_BACKEND=file",
			"KUBE_CREDENTIAL_CACHE_FILE="+filepath.Join(w.dir, "cache.json"),
			"KUBE_CREDENTIAL_CACHE_DEBUG=1",
		)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "v1.33.0-gke-test") {
			w.mu.Lock()
			t.Fatalf("kubectl call %d: %v\n%s\nAPI server saw %d requests", i+1, err, out, len(w.apiTokens))
		}
		// gcloud's kubectl asks for the credential, then execs kubectl.1.NN
		// in its place (same PID), which asks again: not a 401 retry, so
		// no refresh (the plugin runs once, on the first call).
		if strings.Contains(string(out), "asked again") {
			t.Errorf("kubectl call %d: kcc-cache took the exec'd kubectl's call for a 401 retry:\n%s", i+1, out)
		}
		// kcc-cache's debug lines say where the credential came from.
		first := "debug: miss"
		if i == 1 {
			first = "debug: hit:"
		}
		if !strings.Contains(string(out), first) || (i == 1 && strings.Contains(string(out), "debug: miss")) {
			t.Errorf("kubectl call %d: kcc-cache did not answer with %q first:\n%s", i+1, first, out)
		}
	}
}

// TestGKEHistoryTo: a gke entry of the history is written again by `to`
// (the cluster read again from the container API by the project, location
// and name of its id), into its own file, as the same context, and made
// current; the file is otherwise unchanged.
func TestGKEHistoryTo(t *testing.T) {
	w := newGKEWorld(t)
	ctxName := "gke_" + gkeProject + "_" + gkeLocation + "_" + gkeCluster
	kc := filepath.Join(w.dir, "to-kubeconfig")
	if r := w.connect(t, "use", "--provider", "gke", "--project", gkeProject, "-k", kc, gkeCluster); r.code != 0 {
		t.Fatalf("use: exit %d\n%s", r.code, r.stderr)
	}
	written, err := os.ReadFile(kc)
	if err != nil {
		t.Fatal(err)
	}
	// Another context becomes current; to switches back.
	other := strings.Replace(string(written), "current-context: "+ctxName, "current-context: elsewhere", 1)
	if other == string(written) {
		t.Fatalf("no current-context %s in\n%s", ctxName, written)
	}
	if err := os.WriteFile(kc, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	h := w.connect(t, "history", "-o", "json")
	var entries []struct{ ID, ClusterID, Provider, Context string }
	if err := json.Unmarshal([]byte(h.stdout), &entries); err != nil || len(entries) != 1 || entries[0].Provider != "gke" || entries[0].Context != ctxName {
		t.Fatalf("history: %v\n%s", err, h.stdout)
	}
	r := w.connect(t, "to", entries[0].ID)
	if r.code != 0 || !strings.Contains(r.stdout, `current-context is "`+ctxName+`"`) {
		t.Fatalf("to: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got, _ := os.ReadFile(kc); string(got) != string(written) {
		t.Errorf("after to, the file is not the one use wrote:\n%s\nwant\n%s", got, written)
	}
}
