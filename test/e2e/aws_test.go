//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestAWSEKSGetToken puts kcc-cache in front of the real `aws eks get-token`
// (offline: it only presigns an STS URL). A wrapper script counts aws's runs
// into the harness's run counter, then execs aws.
func TestAWSEKSGetToken(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		aws := requireTool(t, "aws")
		wrapper := filepath.Join(h.dir, "aws-counted")
		script := "#!/bin/sh\necho \"$$\" >> \"$" + envRuns + "\"\nexec " + shellQuote(aws) + " \"$@\"\n"
		if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		h.srv.acceptTokenPrefix("k8s-aws-v1.")
		kc := h.kubeconfig(execUser{
			args: []string{wrapper, "eks", "get-token", "--cluster-name", "demo"},
			env: map[string]string{
				"AWS_ACCESS_KEY_ID":     "AKIAEXAMPLE",
				"AWS_SECRET_ACCESS_KEY": "x",
				"AWS_REGION":            "us-east-1",
			},
			provideClusterInfo: true,
		})
		h.mustGetPods(kc)
		h.wantRuns(1, "first kubectl call")
		h.mustGetPods(kc)
		r := h.kubectl(kc, nil, "get", "--raw", "/version")
		if r.code != 0 {
			t.Fatalf("kubectl get --raw /version:\n%v", r)
		}
		h.wantRuns(1, "second and third kubectl calls")

		entries, r := h.list()
		mine := h.own(entries)
		if len(mine) != 1 || mine[0].Command != filepath.Base(wrapper) {
			t.Fatalf("want one --list entry of this test, for command %s:\n%s", filepath.Base(wrapper), r.stdout)
		}
		for _, e := range mine {
			exp, err := time.Parse(time.RFC3339, e.Expires)
			if err != nil {
				t.Fatalf("--list entry's expires %q is not RFC 3339: %v", e.Expires, err)
			}
			// aws eks get-token: expirationTimestamp = now + 14 min.
			if d := time.Until(exp); d < 10*time.Minute || d > 15*time.Minute {
				t.Errorf("cached EKS token expires in %v, want about 14m", d)
			}
			if e.Server != h.srv.URL {
				t.Errorf("--list server %q, want %q", e.Server, h.srv.URL)
			}
		}
	})
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	out := "'"
	for _, c := range s {
		if c == '\'' {
			out += `'\''`
		} else {
			out += string(c)
		}
	}
	return out + "'"
}
