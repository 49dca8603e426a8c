//go:build unix

package e2e

import (
	"testing"
)

// TestHitAndMiss runs kubectl twice per case, each a new process, and counts
// how often the plugin really ran.
func TestHitAndMiss(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  []string // kubectl's environment on top of the harness's
		want int      // plugin runs after two kubectl calls
	}{
		{"valid for an hour: one miss then hits", []string{envExpiresIn + "=1h"}, 1},
		{"no expiry: cached for the default TTL", []string{envExpiresIn + "="}, 1},
		{"expiry inside the 30s refresh margin: always a miss", []string{envExpiresIn + "=20s"}, 2},
		{"smaller refresh margin makes it a hit", []string{envExpiresIn + "=20s", "KUBE_CREDENTIAL_CACHE_REFRESH_MARGIN=5s"}, 1},
		{"expired default TTL: always a miss", []string{envExpiresIn + "=", "KUBE_CREDENTIAL_CACHE_DEFAULT_TTL=10s"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachBackend(t, func(t *testing.T, h *harness) {
				h.srv.acceptTokenPrefix("tok-" + h.id + "-")
				kc := h.kubeconfig(execUser{})
				h.mustGetPods(kc, tc.env...)
				h.wantRuns(1, "first kubectl call")
				h.mustGetPods(kc, tc.env...)
				h.wantRuns(tc.want, "two kubectl calls")
			})
		})
	}
}

// TestIdentitiesNeverShare proves that two kubeconfig users differing only in
// AWS_PROFILE get a cache entry each, and each its own credential back.
func TestIdentitiesNeverShare(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		tokenOf := func(profile string) string {
			t.Helper()
			r := h.kcc("v1beta1", "", []string{"AWS_PROFILE=" + profile}, h.pluginArgs()...)
			if r.code != 0 {
				t.Fatalf("kcc-cache with AWS_PROFILE=%s failed:\n%v", profile, r)
			}
			cred, err := decodeCredential([]byte(r.stdout), "v1beta1")
			if err != nil {
				t.Fatal(err)
			}
			return cred.Status.Token
		}
		want := map[string]string{"dev": h.token(1), "prod": h.token(2)}
		for _, p := range []string{"dev", "prod", "dev", "prod"} {
			if got := tokenOf(p); got != want[p] {
				t.Errorf("AWS_PROFILE=%s got token %q, want %q", p, got, want[p])
			}
		}
		h.wantRuns(2, "two profiles asked twice each")
	})
}
