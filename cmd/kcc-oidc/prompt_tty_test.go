//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/oidcop"
	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// TestPasswordPromptOnATerminal: without --password, the password grant asks
// on the terminal without echo and sends what was typed (the example OP
// then refuses the grant it does not offer, which shows the request went).
func TestPasswordPromptOnATerminal(t *testing.T) {
	t.Parallel()
	op := oidcop.StartExample(t, "http://localhost")
	dir := t.TempDir()
	bin := testbin.Build(t, dir, "kcc-oidc")
	env := []string{"KUBE_CREDENTIAL_CACHE_BACKEND=file", "KUBE_CREDENTIAL_CACHE_FILE=" + filepath.Join(dir, "cache.json")}
	term := testbin.StartTerminal(t, env, testbin.Quote(bin, "get-token", "--oidc-issuer-url", op.Issuer,
		"--oidc-client-id", "web", "--oidc-client-secret", oidcop.ClientSecret, "--username", oidcop.User))
	term.WaitFor(t, "Password for "+oidcop.User+": ")
	term.Send(t, "-l", "typed-pass-9c1")
	term.Send(t, "Enter")
	screen := term.WaitFor(t, "EXIT:")
	if strings.Contains(screen, "typed-pass-9c1") {
		t.Errorf("the password was echoed:\n%s", screen)
	}
	if !strings.Contains(screen, "password login failed: the provider answered unsupported_grant_type") || !strings.Contains(screen, "EXIT:1") {
		t.Errorf("want the provider's refusal of the grant and exit 1:\n%s", screen)
	}
}
