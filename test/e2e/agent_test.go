//go:build linux

package e2e

import (
	"slices"
	"strings"
	"testing"
)

// TestSecretServiceAgentUnderKubectl: with the Secret Service, the first
// kcc-cache that stores starts the agent, detached, so that 24 kubectl
// started at once on a cold cache all finish (none waits for the agent,
// which outlives them) with one plugin run; then hits are read through the
// agent, and one agent serves the whole run, whatever the concurrency of
// the other tests.
func TestSecretServiceAgentUnderKubectl(t *testing.T) {
	t.Parallel()
	if !slices.Contains(backends(), "keyring") {
		t.Skip("the Secret Service backend is not under test (KCC_E2E_BACKENDS)")
	}
	h := newHarness(t, "keyring")
	kubectl := requireTool(t, "kubectl")
	h.srv.acceptTokenPrefix("tok-" + h.id + "-")
	kc := h.kubeconfig(execUser{})
	env := h.env(envSleep+"=1s", "KUBE_CREDENTIAL_CACHE_DEBUG=1")
	results := parallel(24, func(int) (result, error) {
		return runCmd(env, h.dir, "", kubectl, "--kubeconfig="+kc, "get", "pods")
	})
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("kubectl %d: %v", i, r.err)
		}
		if r.code != 0 || !strings.Contains(r.stdout, podName) {
			t.Fatalf("kubectl %d failed:\n%v", i, r.result)
		}
	}
	if got := h.runs(); got != 1 {
		t.Fatalf("24 cold kubectl ran the plugin %d times, want 1; stderr:\n%s", got, stderrSummary(results))
	}
	info := h.run(h.env(), "", kccBin, "--info")
	if !strings.Contains(info.stdout, "Secret Service agent:") || !strings.Contains(info.stdout, "running at "+runtimeDir) {
		t.Fatalf("after a store, --info does not show a running agent in the run's runtime dir:\n%v", info)
	}

	hits := parallel(8, func(int) (result, error) {
		return runCmd(h.env("KUBE_CREDENTIAL_CACHE_DEBUG=1"), h.dir, "", kubectl, "--kubeconfig="+kc, "get", "pods")
	})
	viaAgent := 0
	for i, r := range hits {
		if r.err != nil {
			t.Fatalf("kubectl hit %d: %v", i, r.err)
		}
		if r.code != 0 || !strings.Contains(r.stdout, podName) {
			t.Fatalf("kubectl hit %d failed:\n%v", i, r.result)
		}
		if strings.Contains(r.stderr, "read through the agent at "+runtimeDir) {
			viaAgent++
		}
	}
	// A hit the agent could not take in time is read directly, which is
	// right too; none through the agent is not.
	t.Logf("%d of %d concurrent hits were read through the agent", viaAgent, len(hits))
	if viaAgent == 0 {
		t.Fatalf("no hit was read through the agent; stderr:\n%s", stderrSummary(hits))
	}
	if got := h.runs(); got != 1 {
		t.Fatalf("the hits ran the plugin: %d runs in all, want 1", got)
	}
	if pids := agents(); len(pids) != 1 {
		t.Fatalf("agents running for the run's bus: %v, want exactly one", pids)
	}
}
