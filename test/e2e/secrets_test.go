//go:build unix

package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretsNeverPrinted runs every path (miss, hit, 401 heal, failing and
// invalid plugin, certificate, management) with KUBE_CREDENTIAL_CACHE_DEBUG=1
// and checks that no token, key, argument value or env value shows up on
// stderr or in --list / --info.
func TestSecretsNeverPrinted(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		cert := newClientCert(t, h.dir)
		secretArgs := []string{"--password=s3cret-" + h.id, "--token", "argtok-" + h.id}
		secretEnv := map[string]string{
			"AWS_SECRET_ACCESS_KEY": "envsecret-" + h.id,
			"AWS_PROFILE":           "profile-" + h.id,
		}
		keyBody := strings.Split(string(cert.keyPEM), "\n")[1] // a line of the key's base64
		secrets := []string{
			h.token(1), h.token(2), "s3cret-" + h.id, "argtok-" + h.id,
			"envsecret-" + h.id, "profile-" + h.id, keyBody,
		}
		debug := "KUBE_CREDENTIAL_CACHE_DEBUG=1"
		var outputs []result

		h.srv.acceptToken(h.token(1))
		kc := h.kubeconfig(execUser{args: h.pluginArgs(secretArgs...), env: secretEnv, provideClusterInfo: true})
		miss := h.mustGetPods(kc, debug)
		hit := h.mustGetPods(kc, debug)
		if !strings.Contains(miss.stderr, "miss") || !strings.Contains(hit.stderr, "hit") {
			t.Fatalf("KUBE_CREDENTIAL_CACHE_DEBUG=1 did not log the miss and the hit:\nfirst call:\n%v\nsecond call:\n%v", miss, hit)
		}
		h.srv.revokeToken(h.token(1))
		h.srv.acceptToken(h.token(2))
		heal := h.mustGetPods(kc, debug, "KUBECACHEDIR="+filepath.Join(h.home, "fresh-discovery"))
		h.wantRuns(2, "miss, hit, heal")
		outputs = append(outputs, miss, hit, heal)

		envList := []string{debug}
		for k, v := range secretEnv {
			envList = append(envList, k+"="+v)
		}
		certArgs := h.pluginArgs(append([]string{"--cert"}, secretArgs...)...)
		outputs = append(outputs,
			h.kcc("v1beta1", "", append(envList, envExit+"=3"), h.pluginArgs(append([]string{"--failing"}, secretArgs...)...)...),
			h.kcc("v1beta1", "", append(envList, envInvalid+"=1"), h.pluginArgs(append([]string{"--invalid"}, secretArgs...)...)...),
			h.kcc("v1", "", append(envList, cert.env()...), certArgs...),
			h.kcc("v1", "", append(envList, cert.env()...), certArgs...),
		)
		for _, args := range [][]string{{"--list"}, {"--list", "-o", "json"}, {"--info"}} {
			r := h.run(h.env(debug), "", kccBin, args...)
			if r.code != 0 {
				t.Fatalf("kcc-cache %s:\n%v", strings.Join(args, " "), r)
			}
			outputs = append(outputs, r)
		}
		for i, r := range outputs {
			text := r.stderr
			if i >= len(outputs)-3 { // the management commands' stdout too
				text += r.stdout
			}
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("secret %q printed (output %d):\n%v", s, i, r)
				}
			}
		}
	})
}
