package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksNoHeavyPackages guards start-up time: every kubectl call starts
// kcc-cache, and client-go's package init alone costs ~10 ms (DESIGN.md §2);
// 99designs/keyring dials D-Bus in init on Linux (§3).
func TestLinksNoHeavyPackages(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range []string{"k8s.io/", "sigs.k8s.io/", "github.com/99designs/", "gopkg.in/yaml"} {
			if strings.HasPrefix(pkg, banned) {
				t.Errorf("kcc-cache links %s", pkg)
			}
		}
	}
}
