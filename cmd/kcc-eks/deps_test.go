package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksNoKubernetesOrYAML: kcc-eks runs on every cache miss; the AWS SDK
// is its only heavy dependency, and neither client-go (≈120 package inits)
// nor a YAML parser has anything to do in it.
func TestLinksNoKubernetesOrYAML(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := strings.Fields(string(out))
	if len(pkgs) < 20 {
		t.Fatalf("go list -deps printed only %d packages", len(pkgs))
	}
	for _, pkg := range pkgs {
		for _, banned := range []string{"k8s.io/", "sigs.k8s.io/", "gopkg.in/yaml", "go.yaml.in/", "github.com/99designs/"} {
			if strings.HasPrefix(pkg, banned) {
				t.Errorf("kcc-eks links %s", pkg)
			}
		}
	}
}
