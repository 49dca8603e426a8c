package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Terminal is a real terminal for a test: a tmux server of its own with one
// pane that runs a shell command line, then shows "EXIT:<code>" and waits
// to be read.
type Terminal struct {
	tmux, socket string
}

// StartTerminal runs line (a sh command line; see Quote) in a new 150×30
// terminal, with env exported and TERM=xterm-256color. tmux is required as
// Require requires it. The terminal ends with the test.
func StartTerminal(t testing.TB, env []string, line string) *Terminal {
	t.Helper()
	tmux := Require(t, "tmux")
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	for _, e := range append(env, "TERM=xterm-256color") {
		k, v, _ := strings.Cut(e, "=")
		fmt.Fprintf(&b, "export %s=%s\n", k, Quote(v))
	}
	b.WriteString(line + "\necho EXIT:$?\nexec sleep 600\n")
	script := filepath.Join(dir, "pane.sh")
	if err := os.WriteFile(script, []byte(b.String()), 0o700); err != nil {
		t.Fatal(err)
	}
	term := &Terminal{tmux: tmux, socket: filepath.Join(dir, "tmux.sock")}
	term.run(t, "-f", "/dev/null", "new-session", "-d", "-x", "150", "-y", "30", script)
	t.Cleanup(func() { _ = exec.Command(tmux, "-S", term.socket, "kill-server").Run() })
	return term
}

// Quote is args as words of a sh command line.
func Quote(args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

func (term *Terminal) run(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(term.tmux, append([]string{"-S", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Send types keys (tmux send-keys arguments: key names, or -l and text).
func (term *Terminal) Send(t testing.TB, keys ...string) {
	t.Helper()
	term.run(t, append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// Screen is what the terminal shows now.
func (term *Terminal) Screen(t testing.TB) string {
	t.Helper()
	return term.run(t, "capture-pane", "-p", "-J", "-t", "0")
}

// WaitFor reads the screen until it shows text and returns it; the bound
// only ends a test that would otherwise hang.
func (term *Terminal) WaitFor(t testing.TB, text string) string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		screen := term.Screen(t)
		if strings.Contains(screen, text) {
			return screen
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%s", text, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Title is the title the program in the terminal set (an OSC 0 or 2
// escape sequence sets it).
func (term *Terminal) Title(t testing.TB) string {
	t.Helper()
	return strings.TrimSpace(term.run(t, "display-message", "-p", "-t", "0", "#{pane_title}"))
}
