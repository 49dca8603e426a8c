//go:build unix

package e2e

import (
	"runtime"
	"strings"
	"testing"
)

// TestInteractivePlugin: a plugin that asks on the terminal (MFA code, device
// login) reads its answer from stdin, through kcc-cache.
func TestInteractivePlugin(t *testing.T) {
	t.Parallel()
	t.Run("direct", func(t *testing.T) {
		t.Parallel()
		forEachBackend(t, func(t *testing.T, h *harness) {
			typed := "typed-" + h.id
			r := h.kcc("v1", typed+"\n", []string{envTokenStdin + "=1"}, h.pluginArgs()...)
			cred, err := decodeCredential([]byte(r.stdout), "v1")
			if r.code != 0 || err != nil {
				t.Fatalf("kcc-cache with an interactive plugin: %v\n%v", err, r)
			}
			if cred.Status.Token != typed {
				t.Fatalf("token %q, want the line typed on stdin %q", cred.Status.Token, typed)
			}
			if !strings.Contains(r.stderr, "token: ") {
				t.Errorf("the plugin's prompt did not reach stderr:\n%v", r)
			}
			// The answer is cached: no second prompt.
			r = h.kcc("v1", "", []string{envTokenStdin + "=1"}, h.pluginArgs()...)
			if cred, err := decodeCredential([]byte(r.stdout), "v1"); err != nil || cred.Status.Token != typed {
				t.Fatalf("second call: %v\n%v", err, r)
			}
			h.wantRuns(1, "interactive plugin, two calls")
		})
	})
	t.Run("kubectl on a terminal", func(t *testing.T) {
		t.Parallel()
		forEachBackend(t, func(t *testing.T, h *harness) {
			kubectl := requireTool(t, "kubectl")
			if runtime.GOOS != "linux" {
				t.Skip("needs util-linux script(1) to give kubectl a terminal; BSD script takes other flags")
			}
			script := requireTool(t, "script") // util-linux: gives kubectl a pty
			typed := "typed-" + h.id
			h.srv.acceptToken(typed)
			kc := h.kubeconfig(execUser{interactiveMode: "IfAvailable"})
			cmdline := shellQuote(kubectl) + " --kubeconfig=" + shellQuote(kc) + " get pods"
			env := h.env(envTokenStdin+"=1", "TERM=dumb")
			r := h.run(env, typed+"\n", script, "-qec", cmdline, "/dev/null")
			if r.code != 0 || !strings.Contains(r.stdout, podName) {
				t.Fatalf("kubectl on a terminal with an interactive plugin:\n%v", r)
			}
			// Not on a terminal now: the cached answer serves it.
			h.mustGetPods(kc)
			h.wantRuns(1, "interactive kubectl, then a plain one")
		})
	})
}
