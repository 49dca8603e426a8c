package agent

import (
	"strings"
	"testing"
)

func TestAgentSocketPath(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", "")
	if s := Socket("unix:path=/x"); s != "" {
		t.Errorf("without XDG_RUNTIME_DIR: %q, want none", s)
	}
	t.Setenv("XDG_RUNTIME_DIR", "relative/dir")
	if s := Socket("unix:path=/x"); s != "" {
		t.Errorf("with a relative XDG_RUNTIME_DIR: %q, want none", s)
	}
	t.Setenv("XDG_RUNTIME_DIR", "/"+strings.Repeat("d", 100))
	if s := Socket("unix:path=/x"); s != "" {
		t.Errorf("too long for a socket: %q, want none", s)
	}
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/1000")
	a, b := Socket("unix:path=/a"), Socket("unix:path=/b")
	if a == b || !strings.HasPrefix(a, "/run/user/1000/kube-credential-cache/agent-") {
		t.Errorf("sockets %q and %q: want one per bus, in the runtime dir", a, b)
	}
}
