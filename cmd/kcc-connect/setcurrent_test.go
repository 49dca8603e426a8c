package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/motoserver"
)

const beforeKubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: b, cluster: {server: "https://b.example"}}]
users: [{name: b, user: {token: t}}]
contexts: [{name: before, context: {cluster: b, user: b}}]
current-context: before
`

// One cluster becomes current unless set-current is false (flag, env or
// config file, in that order); several leave current-context alone unless
// set-current is true, which makes the first context listed current.
func TestUseSetCurrent(t *testing.T) {
	cfg := motoEnv(t)
	motoserver.CreateCluster(t, cfg, "web")
	motoserver.CreateCluster(t, cfg, "api")
	tests := []struct {
		name   string
		config string // set-current in the config file, "" for none
		env    string // KCC_CONNECT_SET_CURRENT
		args   []string
		want   string // current-context after; "first" for the first context printed
	}{
		{"one cluster", "", "", []string{"web"}, "web"},
		{"one cluster, flag false", "", "", []string{"web", "--set-current=false"}, "before"},
		{"one cluster, env false", "", "false", []string{"web"}, "before"},
		{"one cluster, config false", "false", "", []string{"web"}, "before"},
		{"one cluster, config false, flag", "false", "", []string{"web", "--set-current"}, "web"},
		{"one cluster, config false, env true", "false", "true", []string{"web"}, "web"},
		{"several", "", "", []string{"web", "api"}, "before"},
		{"several, flag", "", "", []string{"web", "api", "--set-current"}, "first"},
		{"several, config true", "true", "", []string{"api", "web"}, "first"},
		{"several, config true, flag false", "true", "", []string{"api", "web", "--set-current=false"}, "before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths := newExtrasEnvPaths(t)
			os.Remove(paths.config)
			if tt.config != "" {
				execApp(t, nil, "config", "set", "set-current", tt.config).wantOK(t)
			}
			t.Setenv("KCC_CONNECT_SET_CURRENT", tt.env)
			kc := filepath.Join(t.TempDir(), "config")
			if err := os.WriteFile(kc, []byte(beforeKubeconfig), 0o600); err != nil {
				t.Fatal(err)
			}
			r := execApp(t, nil, append([]string{"use", "-k", kc}, tt.args...)...).wantOK(t)
			want := tt.want
			if want == "first" {
				_, rest, _ := strings.Cut(r.stdout, `context "`)
				want, _, _ = strings.Cut(rest, `"`)
			}
			if got := currentContext(t, kc); got != want {
				t.Errorf("current-context %q, want %q; stdout:\n%s", got, want, r.stdout)
			}
			if says := strings.Contains(r.stdout, "current-context is"); says != (want != "before") {
				t.Errorf("stdout says current-context changed: %v, want %v:\n%s", says, want != "before", r.stdout)
			}
		})
	}
}
