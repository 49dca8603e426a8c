//go:build unix

package e2e

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSelfHealAfter401: the API server stops accepting the cached token (a
// revocation or rotation). client-go then runs kcc-cache again from the same
// kubectl process, and kcc-cache must answer with a fresh credential instead
// of the rejected one: no manual cache clearing.
func TestSelfHealAfter401(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		kc := h.kubeconfig(execUser{provideClusterInfo: true})
		// Each kubectl call gets an empty discovery cache, so that `get pods`
		// starts with discovery requests, as on a first use: the 401 lands on
		// one of those and client-go's retry with the fresh token is absorbed.
		n := 0
		freshDiscovery := func() string {
			n++
			return "KUBECACHEDIR=" + filepath.Join(h.home, "discovery-"+strconv.Itoa(n))
		}
		h.srv.acceptToken(h.token(1))
		h.mustGetPods(kc, freshDiscovery())
		h.mustGetPods(kc, freshDiscovery())
		h.wantRuns(1, "before the revocation")

		h.srv.revokeToken(h.token(1))
		h.srv.acceptToken(h.token(2))
		_, rejectedBefore := h.srv.counts()
		h.mustGetPods(kc, freshDiscovery())
		if _, rejected := h.srv.counts(); rejected == rejectedBefore {
			t.Fatal("the revoked token was never sent: the test did not test a 401")
		}
		h.wantRuns(2, "kubectl get pods after the revocation")

		h.mustGetPods(kc, freshDiscovery())
		if r := h.kubectl(kc, nil, "get", "--raw", "/version"); r.code != 0 {
			t.Fatalf("kubectl get --raw /version after the heal:\n%v", r)
		}
		h.mustGetPods(kc)
		h.wantRuns(2, "calls after the heal hit the cache")

		// A second rotation, now with a raw request first and a warm
		// discovery cache: client-go does not retry the request that got
		// the 401, so this call may fail, but it must leave the fresh token
		// in the cache for every later call.
		h.srv.revokeToken(h.token(2))
		h.srv.acceptToken(h.token(3))
		r := h.kubectl(kc, nil, "get", "--raw", "/version")
		t.Logf("first raw request after the second rotation (may fail once):\n%v", r)
		h.wantRuns(3, "raw request after the second rotation")
		if r := h.kubectl(kc, nil, "get", "--raw", "/version"); r.code != 0 {
			t.Fatalf("second raw request after the second rotation:\n%v", r)
		}
		h.mustGetPods(kc)
		h.wantRuns(3, "calls after the second heal hit the cache")
	})
}

// TestRejectedTokenIsBounded: when the API server rejects every credential
// (revoked user, wrong cluster), client-go asks for a new one after each 401.
// Without a bound that is a plugin run (an MFA prompt) per request; kcc-cache
// refreshes at most once per kubectl process: at most two runs each.
func TestRejectedTokenIsBounded(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		kc := h.kubeconfig(execUser{})
		const calls = 2
		for i := range calls {
			r := h.kubectl(kc, []string{"KUBECACHEDIR=" + filepath.Join(h.home, "discovery-"+strconv.Itoa(i))}, "get", "pods")
			if r.code == 0 || !strings.Contains(r.stderr, "logged in") {
				t.Fatalf("kubectl %d with every token rejected: want the Unauthorized error:\n%v", i, r)
			}
		}
		if _, rejected := h.srv.counts(); rejected < 2*calls {
			t.Fatalf("only %d requests were rejected: the test did not make client-go retry", rejected)
		}
		if got := h.runs(); got < 1 || got > 2*calls {
			t.Fatalf("%d kubectl calls against a server rejecting everything ran the plugin %d times, want 1 to %d", calls, got, 2*calls)
		}
	})
}
