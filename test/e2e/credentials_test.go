//go:build unix

package e2e

import (
	"testing"
	"time"
)

// TestAPIVersions runs kubectl with exec apiVersion v1 and v1beta1. The
// requested apiVersion is part of the cache key, so each version gets its
// own entry, and kubectl accepts each answer (client-go rejects any other
// version than the one configured).
func TestAPIVersions(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		h.srv.acceptTokenPrefix("tok-" + h.id + "-")
		kcV1 := h.kubeconfig(execUser{apiVersion: "v1"})
		kcV1beta1 := h.kubeconfig(execUser{apiVersion: "v1beta1"})
		h.mustGetPods(kcV1)
		h.wantRuns(1, "v1, first call")
		h.mustGetPods(kcV1)
		h.wantRuns(1, "v1, second call")
		h.mustGetPods(kcV1beta1)
		h.wantRuns(2, "v1beta1, first call")
		h.mustGetPods(kcV1beta1)
		h.mustGetPods(kcV1)
		h.wantRuns(2, "v1beta1 and v1 again")
	})
}

// TestPluginAnswersInOtherVersion: a plugin that only speaks v1beta1 behind
// a kubeconfig asking for v1 (and the reverse). client-go alone rejects the
// answer; kcc-cache hands the client the version it asked for.
func TestPluginAnswersInOtherVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ asked, answered string }{{"v1", "v1beta1"}, {"v1beta1", "v1"}} {
		t.Run("asked "+tc.asked, func(t *testing.T) {
			t.Parallel()
			forEachBackend(t, func(t *testing.T, h *harness) {
				h.srv.acceptTokenPrefix("tok-" + h.id + "-")
				answer := envAnswerIn + "=" + tc.answered

				// Control: the plugin straight in the kubeconfig fails.
				direct := h.kubeconfig(execUser{apiVersion: tc.asked, command: selfBin})
				if r := h.kubectl(direct, []string{answer}, "get", "pods"); r.code == 0 {
					t.Fatalf("client-go accepted a %s answer to a %s request: the test tests nothing:\n%v", tc.answered, tc.asked, r)
				}
				before := h.runs()

				h.mustGetPods(h.kubeconfig(execUser{apiVersion: tc.asked}), answer)
				h.wantRuns(before+1, "kubectl through kcc-cache")
				r := h.kcc(tc.asked, "", []string{answer}, h.pluginArgs()...)
				if _, err := decodeCredential([]byte(r.stdout), tc.asked); r.code != 0 || err != nil {
					t.Fatalf("kcc-cache: %v\n%v", err, r)
				}
			})
		})
	}
}

// TestClientCertificate has the plugin hand out a client certificate, the
// only credential the API server accepts, for both apiVersions.
func TestClientCertificate(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"v1", "v1beta1"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			forEachBackend(t, func(t *testing.T, h *harness) {
				cert := newClientCert(t, h.dir)
				h.srv.acceptCert(cert.der)
				kc := h.kubeconfig(execUser{apiVersion: v})
				h.mustGetPods(kc, cert.env()...)
				h.mustGetPods(kc, cert.env()...)
				h.wantRuns(1, "two kubectl calls")
				if ok, _ := h.srv.counts(); ok == 0 {
					t.Fatal("the API server let no request in with the certificate")
				}
			})
		})
	}
}

// TestWireCompatibility decodes kcc-cache's stdout, on a miss and on a hit,
// with client-go's own clientauthentication scheme and checks that it is what
// the plugin handed out.
func TestWireCompatibility(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"v1", "v1beta1"} {
		for _, kind := range []string{"token", "certificate"} {
			t.Run(v+"/"+kind, func(t *testing.T) {
				t.Parallel()
				forEachBackend(t, func(t *testing.T, h *harness) {
					var env []string
					var cert clientCert
					if kind == "certificate" {
						cert = newClientCert(t, h.dir)
						env = cert.env()
					}
					before := time.Now().Add(time.Hour).Truncate(time.Second)
					for _, call := range []string{"miss", "hit"} {
						r := h.kcc(v, "", env, h.pluginArgs()...)
						if r.code != 0 {
							t.Fatalf("%s: kcc-cache failed:\n%v", call, r)
						}
						cred, err := decodeCredential([]byte(r.stdout), v)
						if err != nil {
							t.Fatalf("%s: %v", call, err)
						}
						st := cred.Status
						if kind == "token" && st.Token != h.token(1) {
							t.Errorf("%s: token %q, want %q", call, st.Token, h.token(1))
						}
						if kind == "certificate" && (st.ClientCertificateData != string(cert.certPEM) || st.ClientKeyData != string(cert.keyPEM) || st.Token != "") {
							t.Errorf("%s: status is not the plugin's certificate and key: %+v", call, st)
						}
						if st.ExpirationTimestamp == nil {
							t.Fatalf("%s: expirationTimestamp lost", call)
						}
						if exp := st.ExpirationTimestamp.Time; exp.Before(before) || exp.After(time.Now().Add(time.Hour)) {
							t.Errorf("%s: expirationTimestamp %v is not the plugin's (now+1h)", call, exp)
						}
						h.wantRuns(1, call)
					}
				})
			})
		}
	}
}
