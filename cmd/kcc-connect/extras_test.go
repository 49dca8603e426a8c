package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// extrasEnv isolates a test: no AWS profiles, config, history and version
// stamp under a fresh HOME, and no KCC_CONNECT_* from the machine.
type extrasEnv struct {
	home, config, history string
}

func newExtrasEnv(t *testing.T) extrasEnv {
	t.Helper()
	home := isolateAWS(t)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, "")
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, envPrefix) {
			t.Setenv(k, "")
		}
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cfg, "kube-credential-cache", "connect")
	return extrasEnv{home: home, config: filepath.Join(dir, "config.yaml"), history: filepath.Join(dir, "history.yaml")}
}

type result struct {
	code           int
	stdout, stderr string
}

// execApp runs kcc-connect in-process with the app's hooks changed by
// setup (nil: as run would).
func execApp(t *testing.T, setup func(*app), args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errb)
	a.terminal = func(any) bool { return false }
	if setup != nil {
		setup(a)
	}
	code := a.execute(context.Background(), args)
	return result{code, out.String(), errb.String()}
}

func (r result) wantOK(t *testing.T) result {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	return r
}

// wantError checks the failure shape every command shares: the exit code,
// nothing on stdout, one "kcc-connect: " line on stderr containing want.
func (r result) wantError(t *testing.T, code int, want string) {
	t.Helper()
	if r.code != code || r.stdout != "" || !strings.HasPrefix(r.stderr, "kcc-connect: ") ||
		strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and one line with %q", r.code, r.stdout, r.stderr, code, want)
	}
}

// unchanged fails the test if path's content differs from before (both
// may be "missing").
func unchanged(t *testing.T, path string, before []byte) {
	t.Helper()
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatalf("%s changed on an error:\n%s\nbecame\n%s", path, before, after)
	}
}
