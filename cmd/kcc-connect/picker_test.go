package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// testPicker runs `kcc-connect use` with no argument in a real terminal
// (a tmux pane), reads the screen and types: filtering, arrows, Enter, and
// Esc.
func testPicker(t *testing.T, w *world) {
	tmux := testbin.Require(t, "tmux")
	tests := []struct {
		name  string
		keys  [][]string // tmux send-keys arguments, one call each
		after string     // shown on the screen before the keys are sent
		code  int
		want  string // the context written; "" for none
	}{
		{"type to filter, enter", nil, "3/3", 0, "web"},
		{"arrows", [][]string{{"Down"}, {"Down"}, {"Up"}, {"Enter"}}, "3/3", 0, "demo"},
		{"escape", [][]string{{"Escape"}}, "3/3", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			kubeconfig := filepath.Join(dir, "config")
			s := startTmux(t, tmux, dir, w.env(), "use", "--no-version-check", "--profile", "prod", "--region", "eu-west-1,ap-southeast-2", "-k", kubeconfig)
			screen := s.waitFor(t, tt.after)
			for _, name := range []string{"api", "demo", "web"} {
				if !strings.Contains(screen, name) {
					t.Fatalf("the picker does not show %s:\n%s", name, screen)
				}
			}
			if tt.name == "type to filter, enter" {
				s.send(t, "-l", "WEB")
				screen = s.waitFor(t, "1/3")
				if strings.Contains(screen, "api ") || !strings.Contains(screen, "▸ web") {
					t.Errorf("after typing \"WEB\" the screen is:\n%s", screen)
				}
				s.send(t, "Enter")
			} else {
				for _, k := range tt.keys {
					s.send(t, k...)
				}
			}
			screen = s.waitFor(t, "EXIT:")
			if !strings.Contains(screen, fmt.Sprintf("EXIT:%d", tt.code)) {
				t.Fatalf("exit code, want %d:\n%s", tt.code, screen)
			}
			if tt.want == "" {
				if _, err := os.Stat(kubeconfig); !os.IsNotExist(err) {
					t.Errorf("a cancelled pick wrote the kubeconfig")
				}
				if !strings.Contains(screen, "kcc-connect: nothing picked") {
					t.Errorf("no message for the cancelled pick:\n%s", screen)
				}
				return
			}
			cfg := loadKubeconfig(t, kubeconfig)
			c := w.find(t, "prod", map[string]string{"web": "ap-southeast-2", "demo": "eu-west-1"}[tt.want], tt.want)
			if ctx := cfg.Contexts[tt.want]; ctx == nil || ctx.Cluster != c.ID || ctx.AuthInfo != connect.UserName(c) {
				t.Errorf("contexts after picking %s: %v", tt.want, cfg.Contexts)
			}
			if strings.Contains(screen, "↑/↓ move") {
				t.Errorf("the picker was not erased:\n%s", screen)
			}
		})
	}
}

// tmuxSession is one tmux server with one pane running kcc-connect.
type tmuxSession struct {
	tmux, socket string
}

func startTmux(t *testing.T, tmux, dir string, env []string, args ...string) *tmuxSession {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The pane runs a script: the environment, kcc-connect, then the exit
	// code on the screen, then it waits to be read.
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	for _, e := range append(env, runMainEnv+"=1", "TERM=xterm-256color") {
		k, v, _ := strings.Cut(e, "=")
		fmt.Fprintf(&b, "export %s='%s'\n", k, strings.ReplaceAll(v, "'", `'\''`))
	}
	fmt.Fprintf(&b, "'%s'", self)
	for _, a := range args {
		fmt.Fprintf(&b, " '%s'", a)
	}
	b.WriteString("\necho EXIT:$?\nexec sleep 600\n")
	script := filepath.Join(dir, "pane.sh")
	if err := os.WriteFile(script, []byte(b.String()), 0o700); err != nil {
		t.Fatal(err)
	}
	s := &tmuxSession{tmux: tmux, socket: filepath.Join(dir, "tmux.sock")}
	s.run(t, "-f", "/dev/null", "new-session", "-d", "-x", "150", "-y", "30", script)
	t.Cleanup(func() { _ = exec.Command(tmux, "-S", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(s.tmux, append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *tmuxSession) send(t *testing.T, keys ...string) {
	t.Helper()
	s.run(t, append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// waitFor reads the screen until it shows text; the bound only ends a
// test that would otherwise hang.
func (s *tmuxSession) waitFor(t *testing.T, text string) string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		screen := s.run(t, "capture-pane", "-p", "-t", "0")
		if strings.Contains(screen, text) {
			return screen
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%s", text, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
