package main

import (
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// extrasBinary builds kcc-connect as version 1.2.3.
func extrasBinary(t *testing.T) string {
	t.Helper()
	return testbin.Build(t, t.TempDir(), "kcc-connect", "-X main.version=1.2.3")
}

// caFile is a PEM file of srv's certificate, for SSL_CERT_FILE: the binary
// then trusts srv (and only it).
func caFile(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// tmuxRun runs shell in a real terminal of its own and returns the screen
// once it is done.
func tmuxRun(t *testing.T, shell string) string {
	t.Helper()
	return testbin.StartTerminal(t, nil, shell).WaitFor(t, "EXIT:")
}

// The notice shows on a real terminal, once a day, and never when stderr
// is not a terminal.
func TestVersionNoticeOnARealTerminal(t *testing.T) {
	testbin.Require(t, "tmux")
	bin := extrasBinary(t)
	srv, hits := releaseFeed(t, "v1.3.0")
	notice := "kcc-connect: a new version v1.3.0 is available (you have 1.2.3)"
	env := func(home string) string {
		return "env HOME=" + home + " XDG_CONFIG_HOME= XDG_CACHE_HOME= SSL_CERT_FILE=" + caFile(t, srv) + " KCC_CONNECT_VERSION_CHECK_URL=" + srv.URL + " " + bin
	}

	home := t.TempDir()
	screen := tmuxRun(t, env(home)+" history -o json")
	if !strings.Contains(screen, notice) || !strings.Contains(screen, "[]") || hits.Load() != 1 {
		t.Fatalf("first run on a terminal (%d requests):\n%s", hits.Load(), screen)
	}
	screen = tmuxRun(t, env(home)+" history -o json")
	if strings.Contains(screen, "new version") || hits.Load() != 1 {
		t.Fatalf("second run the same day (%d requests):\n%s", hits.Load(), screen)
	}

	// stdin and stdout on the terminal, stderr into a file: no check.
	other := t.TempDir()
	errFile := filepath.Join(other, "stderr")
	tmuxRun(t, env(other)+" history -o json 2>"+errFile)
	if b, _ := os.ReadFile(errFile); strings.Contains(string(b), "new version") || hits.Load() != 1 {
		t.Fatalf("stderr not a terminal (%d requests): %q", hits.Load(), b)
	}
}
