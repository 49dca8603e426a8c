//go:build unix

package e2e

import (
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/eksauth"
	"github.com/IvMisticos/kube-credential-cache/internal/gcptest"
)

// The tests of this file switch the identity a plugin uses outside kcc-cache
// (gcloud's active account, the keys of an AWS profile) and check that the
// next kubectl call presents the new identity's token, not the cached one
// of the previous identity. The API server accepts both identities, as a
// real one would: a refused token would only hide the bug behind the 401
// self-heal.

// countedTool writes a wrapper named name (the plugin's own name: kcc-cache
// picks the identity files by it) that counts its runs, then execs target.
func (h *harness) countedTool(name, target string) string {
	h.t.Helper()
	dir := filepath.Join(h.dir, "bin-"+name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		h.t.Fatal(err)
	}
	wrapper := filepath.Join(dir, name)
	script := "#!/bin/sh\necho \"$$\" >> \"$" + envRuns + "\"\nexec " + shellQuote(target) + " \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		h.t.Fatal(err)
	}
	return wrapper
}

// seenLog records what identity each request to the API server presented.
type seenLog struct {
	mu   sync.Mutex
	seen []string
}

func (l *seenLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, s)
}

// since is what was presented from request n on, and the count so far.
func (l *seenLog) since(n int) ([]string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.seen[min(n, len(l.seen)):]...), len(l.seen)
}

// recordingServer replaces the harness's API server by one that records
// each request's bearer token before the usual checks.
func (h *harness) recordingServer() *seenLog {
	h.t.Helper()
	l := &seenLog{}
	s := &apiServer{tokens: map[string]bool{}, certs: map[[32]byte]bool{}}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		l.add(tok)
		s.serve(w, r)
	}))
	s.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	s.Config.ErrorLog = log.New(handshakeFilter{}, "", log.LstdFlags)
	s.StartTLS()
	h.t.Cleanup(s.Close)
	h.srv = s
	return l
}

// wantOnly fails unless every request since n presented want.
func (l *seenLog) wantOnly(t *testing.T, n int, want, when string) int {
	t.Helper()
	seen, total := l.since(n)
	if len(seen) == 0 {
		t.Fatalf("%s: the API server saw no request", when)
	}
	for _, s := range seen {
		if s != want {
			t.Fatalf("%s: the API server saw %q, want only %q (all: %q)", when, s, want, seen)
		}
	}
	return total
}

// TestGcloudAccountSwitch: the real gke-gcloud-auth-plugin behind
// kcc-cache, with the real gcloud holding two service accounts whose keys
// point their token_uri at a token endpoint of this test. After
// `gcloud auth activate-service-account` for B, and after
// `gcloud config set account` back to A, kubectl presents the token of the
// account now active. The file backend only: gcloud is slow to start, and
// the check does not depend on the store (TestAWSProfileKeysChange runs on
// every backend).
func TestGcloudAccountSwitch(t *testing.T) {
	t.Parallel()
	gcloud := requireTool(t, "gcloud")
	plugin := requireTool(t, "gke-gcloud-auth-plugin")
	forFileBackend(t, func(t *testing.T, h *harness) {
		tokens := gcpTokenServer(t, h.id)
		accounts := map[string]string{}
		for _, name := range []string{"a", "b"} {
			accounts[name] = name + "-" + h.id + "@e2e.iam.gserviceaccount.com"
			gcptest.WriteServiceAccountKey(t, filepath.Join(h.dir, name+".json"), "e2e", accounts[name], tokens.URL+"/token")
		}
		gcloudEnv := []string{
			"CLOUDSDK_CONFIG=" + filepath.Join(h.dir, "gcloud"),
			"CLOUDSDK_CORE_DISABLE_PROMPTS=1",
			"CLOUDSDK_CORE_DISABLE_USAGE_REPORTING=true",
			"CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK=true",
		}
		gc := func(args ...string) {
			t.Helper()
			if r := h.run(h.env(gcloudEnv...), "", gcloud, args...); r.code != 0 {
				t.Fatalf("gcloud %s:\n%v", strings.Join(args, " "), r)
			}
		}
		seen := h.recordingServer()
		for _, a := range accounts {
			h.srv.acceptToken(gcpToken(h.id, a))
		}
		kc := h.kubeconfig(execUser{args: []string{h.countedTool("gke-gcloud-auth-plugin", plugin)}})

		gc("auth", "activate-service-account", "--key-file", filepath.Join(h.dir, "a.json"))
		h.mustGetPods(kc, gcloudEnv...)
		h.mustGetPods(kc, gcloudEnv...)
		n := seen.wantOnly(t, 0, gcpToken(h.id, accounts["a"]), "account a, two calls")
		h.wantRuns(1, "two kubectl calls as account a")

		gc("auth", "activate-service-account", "--key-file", filepath.Join(h.dir, "b.json"))
		h.mustGetPods(kc, gcloudEnv...)
		h.mustGetPods(kc, gcloudEnv...)
		n = seen.wantOnly(t, n, gcpToken(h.id, accounts["b"]), "after activate-service-account b")
		h.wantRuns(2, "after activate-service-account b")

		gc("config", "set", "account", accounts["a"])
		h.mustGetPods(kc, gcloudEnv...)
		seen.wantOnly(t, n, gcpToken(h.id, accounts["a"]), "after config set account a")
		h.wantRuns(3, "after config set account a")
	})
}

// TestGcloudADCFileChange: gke-gcloud-auth-plugin with
// --use_application_default_credentials reads the ADC file (what `gcloud
// auth application-default login` writes); when that file names another
// account, the next kubectl presents that account's token. The plugin, a
// Go program, reads ~/.config/gcloud's file even when CLOUDSDK_CONFIG
// points elsewhere, as here.
func TestGcloudADCFileChange(t *testing.T) {
	t.Parallel()
	plugin := requireTool(t, "gke-gcloud-auth-plugin")
	forFileBackend(t, func(t *testing.T, h *harness) {
		tokens := gcpTokenServer(t, h.id)
		config := filepath.Join(h.home, ".config", "gcloud")
		if err := os.MkdirAll(config, 0o700); err != nil {
			t.Fatal(err)
		}
		adc := filepath.Join(config, "application_default_credentials.json")
		accounts := map[string]string{}
		for _, name := range []string{"a", "b"} {
			accounts[name] = name + "-" + h.id + "@e2e.iam.gserviceaccount.com"
			gcptest.WriteServiceAccountKey(t, filepath.Join(h.dir, name+".json"), "e2e", accounts[name], tokens.URL+"/token")
		}
		useKey := func(name string) {
			t.Helper()
			b, err := os.ReadFile(filepath.Join(h.dir, name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(adc, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		seen := h.recordingServer()
		for _, a := range accounts {
			h.srv.acceptToken(gcpToken(h.id, a))
		}
		env := []string{"CLOUDSDK_CONFIG=" + filepath.Join(h.dir, "gcloud")}
		kc := h.kubeconfig(execUser{args: []string{h.countedTool("gke-gcloud-auth-plugin", plugin), "--use_application_default_credentials"}})

		useKey("a")
		h.mustGetPods(kc, env...)
		h.mustGetPods(kc, env...)
		n := seen.wantOnly(t, 0, gcpToken(h.id, accounts["a"]), "ADC of account a, two calls")
		h.wantRuns(1, "two kubectl calls with the ADC of account a")

		useKey("b")
		h.mustGetPods(kc, env...)
		seen.wantOnly(t, n, gcpToken(h.id, accounts["b"]), "after the ADC file changed to account b")
		h.wantRuns(2, "after the ADC file changed to account b")
	})
}

// gcpToken is the access token the test's token endpoint grants account.
func gcpToken(id, account string) string { return "ya29.e2e-" + id + "-" + account }

// gcpTokenServer is Google's OAuth token endpoint for service accounts as
// far as gcloud uses it: a JWT-bearer grant whose assertion's issuer is the
// account; the signature is not checked (the test trusts its own keys).
func gcpTokenServer(t *testing.T, id string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
			return
		}
		parts := strings.Split(r.PostForm.Get("assertion"), ".")
		var claims struct {
			Iss string `json:"iss"`
		}
		if len(parts) != 3 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		}
		payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
		if err != nil || json.Unmarshal(payload, &claims) != nil || claims.Iss == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": gcpToken(id, claims.Iss), "token_type": "Bearer", "expires_in": 3600,
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestAWSProfileKeysChange: the real `aws eks get-token` and kcc-eks behind
// kcc-cache, with a profile of a shared credentials file. When the
// profile's keys change in the file, the next kubectl signs with the new
// key; many kubectl calls at once after a change run the plugin once.
func TestAWSProfileKeysChange(t *testing.T) {
	t.Parallel()
	const keyA, keyB = "AKIDE2EPROFILEA", "AKIDE2EPROFILEB"
	secrets := map[string]string{keyA: "secret/a+1", keyB: "secret/b+2"}
	for _, tc := range []struct {
		name string
		tool func(t *testing.T) string
		args []string
	}{
		{"aws", func(t *testing.T) string { return requireTool(t, "aws") }, []string{"eks", "get-token", "--cluster-name", eksCluster}},
		{"kcc-eks", buildKCCEKS, []string{"--cluster-name", eksCluster}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			target := tc.tool(t)
			forEachBackend(t, func(t *testing.T, h *harness) {
				var mu sync.Mutex
				var used []string
				h.eksServer(&eksauth.Verifier{ClusterID: eksCluster, Secret: func(id string) (string, bool) {
					mu.Lock()
					defer mu.Unlock()
					used = append(used, id)
					s, ok := secrets[id]
					return s, ok
				}})
				wantKey := func(want, when string) {
					t.Helper()
					mu.Lock()
					defer mu.Unlock()
					if len(used) == 0 {
						t.Fatalf("%s: no token reached the API server", when)
					}
					for _, k := range used {
						if k != want {
							t.Fatalf("%s: the API server saw tokens signed by %q, want only %s", when, used, want)
						}
					}
					used = nil
				}
				credentials := filepath.Join(h.dir, "aws", "credentials")
				writeCredentials := func(key string) {
					t.Helper()
					text := "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n\n" +
						"[e2e]\naws_access_key_id = " + key + "\naws_secret_access_key = " + secrets[key] + "\n"
					if err := os.MkdirAll(filepath.Dir(credentials), 0o700); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(credentials, []byte(text), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				env := []string{
					"AWS_SHARED_CREDENTIALS_FILE=" + credentials,
					"AWS_CONFIG_FILE=" + filepath.Join(h.dir, "aws", "config"),
					"AWS_PROFILE=e2e",
					"AWS_REGION=eu-west-1",
					"AWS_EC2_METADATA_DISABLED=true",
				}
				kc := h.kubeconfig(execUser{args: append([]string{h.countedTool(tc.name, target)}, tc.args...)})

				writeCredentials(keyA)
				h.mustGetPods(kc, env...)
				h.mustGetPods(kc, env...)
				wantKey(keyA, "key a, two calls")
				h.wantRuns(1, "two calls with key a")

				writeCredentials(keyB)
				h.mustGetPods(kc, env...)
				wantKey(keyB, "after the profile's keys changed to b")
				h.wantRuns(2, "after the profile's keys changed to b")

				kubectl := requireTool(t, "kubectl")
				writeCredentials(keyA)
				results := parallel(8, func(int) (result, error) {
					return runCmd(h.env(env...), h.dir, "", kubectl, "--kubeconfig="+kc, "get", "pods")
				})
				for i, r := range results {
					if r.err != nil || r.code != 0 {
						t.Fatalf("kubectl %d: %v\n%v", i, r.err, r.result)
					}
				}
				wantKey(keyA, "8 calls at once after the keys changed back to a")
				h.wantRuns(3, "8 calls at once after the keys changed back to a")
			})
		})
	}
}
