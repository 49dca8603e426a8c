package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// testPicker runs `kcc-connect use` with no argument in a real terminal
// (a tmux pane), reads the screen and types: filtering, arrows, Enter, and
// Esc.
func testPicker(t *testing.T, w *world) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
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
			s := testbin.StartTerminal(t, append(w.env(), runMainEnv+"=1"),
				testbin.Quote(self, "use", "--no-version-check", "--profile", "prod", "--region", "eu-west-1,ap-southeast-2", "-k", kubeconfig))
			screen := s.WaitFor(t, tt.after)
			for _, name := range []string{"api", "demo", "web"} {
				if !strings.Contains(screen, name) {
					t.Fatalf("the picker does not show %s:\n%s", name, screen)
				}
			}
			if tt.name == "type to filter, enter" {
				s.Send(t, "-l", "WEB")
				screen = s.WaitFor(t, "1/3")
				if strings.Contains(screen, "api ") || !strings.Contains(screen, "▸ web") {
					t.Errorf("after typing \"WEB\" the screen is:\n%s", screen)
				}
				s.Send(t, "Enter")
			} else {
				for _, k := range tt.keys {
					s.Send(t, k...)
				}
			}
			screen = s.WaitFor(t, "EXIT:")
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
