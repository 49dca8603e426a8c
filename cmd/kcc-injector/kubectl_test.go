package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
	"github.com/IvMisticos/kube-credential-cache/pkg/injector"
)

// TestKubectlReadsInjectedGoldens has the real kubectl read every injected
// golden file: the marker env entry and every inserted layout must be a
// kubeconfig kubectl accepts, with each exec user running kcc-cache.
func TestKubectlReadsInjectedGoldens(t *testing.T) {
	kubectl := testbin.Require(t, "kubectl")
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "injector", "*.injected.*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no injected golden files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			for _, u := range kubectlUsers(t, kubectl, f) {
				if u.User.Exec == nil {
					continue
				}
				if !injector.IsCacheCommand(u.User.Exec.Command) {
					t.Errorf("user %q runs %q, not kcc-cache", u.Name, u.User.Exec.Command)
				}
				var names []string
				for _, e := range u.User.Exec.Env {
					names = append(names, e.Name)
				}
				if !strings.Contains(strings.Join(names, " "), execcred.UserEnv) {
					t.Errorf("user %q: env %v lacks %s", u.Name, names, execcred.UserEnv)
				}
			}
		})
	}
}

// viewUser is a kubeconfig user as kubectl reads it.
type viewUser struct {
	Name string
	User struct{ Exec *execView }
}

// kubectlUsers are the users of the kubeconfig file as the real kubectl
// reads them (kubectl config view), with no other kubeconfig in the way.
func kubectlUsers(t *testing.T, kubectl, file string) []viewUser {
	t.Helper()
	cmd := exec.Command(kubectl, "config", "view", "--kubeconfig", file, "-o", "json")
	cmd.Env = append(cmd.Environ(), "HOME="+t.TempDir(), "KUBECONFIG=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kubectl config view: %v", err)
	}
	var cfg struct{ Users []viewUser }
	if err := json.Unmarshal(out, &cfg); err != nil {
		t.Fatalf("kubectl printed %q: %v", out, err)
	}
	return cfg.Users
}
