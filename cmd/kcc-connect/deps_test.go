package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksOnlyAllowedModules: kcc-connect links the AWS SDK, cobra/pflag,
// yaml.v3, x/term (and x/sys under it), gofrs/flock (history lock) and this
// module — no client-go, whose package init alone costs ~10 ms (DESIGN.md
// §2); client-go is for the tests, to check the kubeconfigs it writes.
func TestLinksOnlyAllowedModules(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := []string{
		"github.com/IvMisticos/kube-credential-cache/", "github.com/aws/", "github.com/spf13/cobra", "github.com/spf13/pflag",
		"github.com/inconshreveable/mousetrap", "gopkg.in/yaml.v3", "golang.org/x/term", "golang.org/x/sys/", "github.com/gofrs/flock",
	}
	for _, pkg := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(pkg, "/")
		if !strings.Contains(first, ".") {
			continue // the standard library
		}
		ok := false
		for _, a := range allowed {
			if pkg == strings.TrimSuffix(a, "/") || strings.HasPrefix(pkg, a) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("kcc-connect links %s", pkg)
		}
	}
}
