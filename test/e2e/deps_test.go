//go:build unix

package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBinaryLinksNoClientGo: kcc-cache starts on every kubectl call, so it
// links neither client-go (120 package inits) nor 99designs/keyring (dials
// D-Bus in init); this suite decodes its output with client-go instead.
func TestBinaryLinksNoClientGo(t *testing.T) {
	t.Parallel()
	requireKCC(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "./cmd/kcc-cache")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/kcc-cache: %v", err)
	}
	var deps int
	for pkg := range strings.FieldsSeq(string(out)) {
		deps++
		if strings.HasPrefix(pkg, "k8s.io/") || strings.HasPrefix(pkg, "github.com/99designs/") {
			t.Errorf("kcc-cache links %s", pkg)
		}
	}
	if deps < 10 {
		t.Fatalf("go list -deps printed only %d packages:\n%s", deps, out)
	}
}
