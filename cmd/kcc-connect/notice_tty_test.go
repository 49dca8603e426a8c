package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// extrasBinary builds kcc-connect as version 1.2.3.
func extrasBinary(t *testing.T) string {
	t.Helper()
	return testbin.Build(t, t.TempDir(), "kcc-connect", "-X main.version=1.2.3")
}

// tmuxRun runs shell in a new detached tmux session of its own server (a
// real terminal) and returns the screen once the command printed DONE.
func tmuxRun(t *testing.T, shell string) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	tmux := func(args ...string) ([]byte, error) {
		return exec.Command("tmux", append([]string{"-S", sock}, args...)...).CombinedOutput()
	}
	if out, err := tmux("new-session", "-d", "-x", "200", "-y", "40", "sh", "-c", shell+"; echo DONE; sleep 60"); err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	defer tmux("kill-server")
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := tmux("capture-pane", "-p", "-J")
		if err == nil && strings.Contains(string(out), "DONE") {
			return string(out)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command did not finish in tmux; screen:\n%s (%v)", out, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The notice shows on a real terminal, once a day, and never when stderr
// is not a terminal.
func TestVersionNoticeOnARealTerminal(t *testing.T) {
	testbin.Require(t, "tmux")
	bin := extrasBinary(t)
	srv, hits := releaseFeed(t, "v1.3.0")
	notice := "kcc-connect: a new version v1.3.0 is available (you have 1.2.3)"
	env := func(home string) string {
		return "env HOME=" + home + " XDG_CONFIG_HOME= XDG_CACHE_HOME= KCC_CONNECT_VERSION_CHECK_URL=" + srv.URL + " " + bin
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
