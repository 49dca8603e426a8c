package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDiscoverAll: --provider all runs every configured provider (eks
// always; oidc with a cluster list; rancher with an endpoint, against the
// ranchertest stand-in) and merges their clusters; a provider that fails is
// one warning line and the others still answer; gke, not configured, is
// not run.
func TestDiscoverAll(t *testing.T) {
	w := newRancherWorld(t)
	list := w.dir + "/clusters.yaml"
	e := oidcEnv{dir: w.dir}
	e.write(t, "clusters.yaml", teamList(testCAData(w.srv.Server)))
	// eks: an endpoint where nothing listens, so its one region fails.
	noAWS := []string{"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=" + w.dir + "/none", "AWS_SHARED_CREDENTIALS_FILE=" + w.dir + "/none",
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=not-a-secret", "AWS_REGION=us-east-1", "AWS_ENDPOINT_URL=https://127.0.0.1:1", "AWS_MAX_ATTEMPTS=1"}
	base := []string{"discover", "--provider", "all", "--config-url", list, "--api-endpoint", w.srv.APIEndpoint(), "--username", rancherUser, "--password-stdin", "-o", "json"}

	r := w.run(t, rancherPassword+"\n", noAWS, base...)
	if r.code != 0 {
		t.Fatalf("discover --provider all: exit %d\n%s", r.code, r.stderr)
	}
	var cs []struct{ ID, Provider string }
	if err := json.Unmarshal([]byte(r.stdout), &cs); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	got := map[string]int{}
	for _, c := range cs {
		got[c.Provider]++
	}
	if got["oidc"] != 2 || got["rancher"] != 3 || got["gke"] != 0 || len(cs) != 5 {
		t.Errorf("clusters by provider %v, want oidc 2, rancher 3", got)
	}
	if lines := strings.Split(strings.TrimSpace(r.stderr), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "kcc-connect: warning: provider eks: ") {
		t.Errorf("stderr %q, want one warning line of eks", r.stderr)
	}
	if w.srv.Requests["GET /v3/clusters"] != 2 {
		t.Errorf("rancher was not listed (both pages)")
	}

	// A wrong password: one line for rancher, the rest still answer.
	w2 := newRancherWorld(t)
	base[6] = w2.srv.APIEndpoint()
	w2.srv.Users = w.srv.Users
	r = w2.run(t, "wrong\n", noAWS, base...)
	if r.code != 0 || strings.Count(r.stderr, "provider rancher: ") != 1 || !strings.Contains(r.stderr, "wrong username or password") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, `"provider": "oidc"`) {
		t.Errorf("oidc's clusters missing:\n%s", r.stdout)
	}
	w2.noSecrets(t, r)

	// use takes one provider.
	r = w.run(t, "", nil, "use", "--provider", "all", "x")
	if r.code != 2 || !strings.Contains(r.stderr, "--provider all is for discover only") {
		t.Errorf("use --provider all: exit %d, %s", r.code, r.stderr)
	}
}
