package main

import (
	"os"
	"strings"
	"testing"
)

// --list shows the server (from the kubeconfig, which kcc-connect filled
// from what EKS said) and the user as text: control characters are shown
// as escapes, not obeyed by the terminal.
func TestListShowsControlCharactersAsEscapes(t *testing.T) {
	isolate(t)
	t.Setenv("KCC_MAIN_TEST_PLUGIN", "1")
	t.Setenv("KUBE_CREDENTIAL_CACHE_USER", "eve\x1b]2;OWNED\x07")
	t.Setenv("KUBERNETES_EXEC_INFO", `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false,"cluster":{"server":"https://evil.test/\u001b[2J\u009b31m"}}}`)
	if code, _, errOut := runCmd(t, os.Args[0]); code != 0 {
		t.Fatalf("proxy: %d %q", code, errOut)
	}
	_, table, _ := runCmd(t, "--list")
	if !strings.Contains(table, `https://evil.test/\x1b[2J\u009b31m`) || !strings.Contains(table, `eve\x1b]2;OWNED\x07`) || strings.ContainsAny(table, "\x1b\x07\u009b") {
		t.Fatalf("--list table %q", table)
	}
}
