//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The plugins here are sh scripts (head, yes, tr): unix only; the limit
// itself is not OS-specific.
//
// kcc-cache keeps at most 1 MiB of a plugin's stdout (cache.MaxPluginOutput):
// more fails in one line naming the limit, prints nothing and caches
// nothing, unless the plugin failed too, whose own exit code then wins.
func TestRunPluginOutputLimit(t *testing.T) {
	cred := `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"limit-test-token","expirationTimestamp":"2099-01-01T00:00:00Z"}}`
	tooLarge := "kcc-cache: plugin sh printed more than 1048576 bytes (1 MiB) on stdout, more than any credential: not passing it on\n"
	tests := []struct {
		name   string
		script string
		code   int
		stderr string // the whole of it
		cached int
	}{
		{name: "one byte over", script: `head -c 1048577 /dev/zero`, code: 1, stderr: tooLarge},
		{name: "a credential, then far too much", script: `printf '%s' "$CRED"; yes | head -c 50000000`, code: 1, stderr: tooLarge},
		{name: "too much, and the plugin fails", script: `head -c 2000000 /dev/zero; exit 5`, code: 5, stderr: "kcc-cache: plugin sh failed: exit status 5\n"},
		{name: "a credential padded to the limit", script: `printf '%s' "$CRED"; head -c $((1048576 - ${#CRED})) /dev/zero | tr '\0' ' '`, code: 0, cached: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := isolate(t)
			t.Setenv("CRED", cred)
			code, stdout, stderr := runCmd(t, "sh", "-c", tt.script)
			if code != tt.code || stderr != tt.stderr {
				t.Fatalf("exit code %d, stderr %q; want %d, %q", code, stderr, tt.code, tt.stderr)
			}
			if tt.code != 0 && stdout != "" {
				t.Errorf("printed %d bytes of a failed call", len(stdout))
			}
			if tt.code == 0 && !strings.Contains(stdout, "limit-test-token") {
				t.Errorf("stdout %.200q lacks the credential", stdout)
			}
			entries, _ := filepath.Glob(filepath.Join(file+".d", "entries", "[0-9a-f]*"))
			if len(entries) != tt.cached {
				t.Errorf("%d entries cached, want %d", len(entries), tt.cached)
			}
		})
	}
}
