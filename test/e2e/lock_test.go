//go:build unix

package e2e

import (
	"testing"
)

// TestLockTimeoutZero: KUBE_CREDENTIAL_CACHE_LOCK_TIMEOUT=0 means "never wait
// for another process". It once made every lock attempt time out at once, so
// that every miss warned and ran the plugin unlocked. Now a miss takes the
// free lock silently, and callers that find it held run the plugin
// themselves, also silently: not waiting is what the setting asks for.
func TestLockTimeoutZero(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		zero := []string{"KUBE_CREDENTIAL_CACHE_LOCK_TIMEOUT=0"}
		r := h.kcc("v1beta1", "", zero, h.pluginArgs()...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("a miss with LOCK_TIMEOUT=0:\n%v", r)
		}
		if r := h.kcc("v1beta1", "", zero, h.pluginArgs()...); r.code != 0 || r.stderr != "" {
			t.Fatalf("a hit with LOCK_TIMEOUT=0:\n%v", r)
		}
		h.wantRuns(1, "a miss then a hit")

		// Eight cold callers of another identity at once: whether or not
		// they find the lock held (pkg/cache's test holds it for sure), none
		// warns and each gets a credential.
		env := append(zero, "KUBE_CREDENTIAL_CACHE_USER=zero-"+h.id, envSleep+"=300ms")
		results := parallel(8, func(int) (result, error) {
			return runCmd(h.env(append([]string{execInfo("v1beta1", "")}, env...)...), h.dir, "", "/bin/sh",
				append([]string{"-c", `"$@"; exit $?`, "sh", kccBin}, h.pluginArgs()...)...)
		})
		for i, r := range results {
			if r.err != nil || r.code != 0 || r.stderr != "" {
				t.Errorf("caller %d: %v\n%v", i, r.err, r.result)
			}
			if _, err := decodeCredential([]byte(r.stdout), "v1beta1"); err != nil {
				t.Errorf("caller %d: %v", i, err)
			}
		}
	})
}
