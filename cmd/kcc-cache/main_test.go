package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary doubles as a plugin (see pluginMain), so run() can be
// exercised in-process against a real child process.
func TestMain(m *testing.M) {
	if os.Getenv("KCC_MAIN_TEST_PLUGIN") == "1" {
		fmt.Printf(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"main-test-token","expirationTimestamp":"2099-01-01T00:00:00Z"}}`)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func isolate(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.json")
	t.Setenv("KUBE_CREDENTIAL_CACHE_FILE", path)
	t.Setenv("KUBE_CREDENTIAL_CACHE_BACKEND", "file")
	t.Setenv("KUBERNETES_EXEC_INFO", "")
	return path
}

func TestRunUsageAndErrors(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		args       []string
		code       int
		stdoutHas  string
		stderrLine string // the one line expected on stderr, prefix match
	}{
		{name: "bare", args: nil, code: 2, stderrLine: "kcc-cache: no plugin command given"},
		{name: "help", args: []string{"--help"}, code: 0, stdoutHas: "Usage:"},
		{name: "short help", args: []string{"-h"}, code: 0, stdoutHas: "Usage:"},
		{name: "version", args: []string{"--version"}, code: 0, stdoutHas: "kcc-cache dev"},
		{name: "unknown option", args: []string{"--frobnicate"}, code: 2, stderrLine: "kcc-cache: unknown option --frobnicate"},
		{name: "only separator", args: []string{"--"}, code: 2, stderrLine: "kcc-cache: no plugin command given"},
		{name: "bad list format", args: []string{"--list", "-o", "yaml"}, code: 2, stderrLine: "kcc-cache: --list: unknown output format"},
		{name: "bad margin", env: map[string]string{"KUBE_CREDENTIAL_CACHE_REFRESH_MARGIN": "abc"}, args: []string{"true"}, code: 2,
			stderrLine: `kcc-cache: invalid KUBE_CREDENTIAL_CACHE_REFRESH_MARGIN="abc"`},
		{name: "negative ttl", env: map[string]string{"KUBE_CREDENTIAL_CACHE_DEFAULT_TTL": "-1h"}, args: []string{"true"}, code: 2,
			stderrLine: "kcc-cache: invalid KUBE_CREDENTIAL_CACHE_DEFAULT_TTL=-1h0m0s: must not be negative"},
		{name: "unknown backend", env: map[string]string{"KUBE_CREDENTIAL_CACHE_BACKEND": "etcd"}, args: []string{"true"}, code: 2,
			stderrLine: `kcc-cache: invalid KUBE_CREDENTIAL_CACHE_BACKEND="etcd"`},
		{name: "bad debug", env: map[string]string{"KUBE_CREDENTIAL_CACHE_DEBUG": "maybe"}, args: []string{"true"}, code: 2,
			stderrLine: `kcc-cache: invalid KUBE_CREDENTIAL_CACHE_DEBUG="maybe"`},
		{name: "bad key list", env: map[string]string{"KUBE_CREDENTIAL_CACHE_CACHEKEY_ENV_LIST": "AWS_PROFILE,A=B"}, args: []string{"true"}, code: 2,
			stderrLine: `kcc-cache: invalid KUBE_CREDENTIAL_CACHE_CACHEKEY_ENV_LIST: "A=B" is not a variable name`},
		{name: "relative cache-key file", env: map[string]string{"KUBE_CREDENTIAL_CACHE_CACHEKEY_FILES": "~/.config/tool/session, session.json"}, args: []string{"true"}, code: 2,
			stderrLine: `kcc-cache: invalid KUBE_CREDENTIAL_CACHE_CACHEKEY_FILES: "session.json" is neither absolute nor under ~/`},
		{name: "bad exec info", env: map[string]string{"KUBERNETES_EXEC_INFO": "{"}, args: []string{"true"}, code: 2,
			stderrLine: "kcc-cache: invalid KUBERNETES_EXEC_INFO: not JSON"},
		{name: "agent takes no arguments", args: []string{"--secret-service-agent", "x"}, code: 2,
			stderrLine: "kcc-cache: unexpected argument after option"},
		// The agent needs no cache file, so no HOME either: only a bus.
		{name: "agent without a bus", env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": "", "XDG_RUNTIME_DIR": "", "HOME": "", "XDG_CACHE_HOME": "", "KUBE_CREDENTIAL_CACHE_FILE": ""},
			args: []string{"--secret-service-agent"}, code: 1, stderrLine: "kcc-cache: no D-Bus session bus"},
		{name: "plugin missing", args: []string{"kcc-no-such-plugin"}, code: 127, stderrLine: "kcc-cache: could not run plugin kcc-no-such-plugin"},
		{name: "plugin exit code", args: []string{"sh", "-c", "exit 7"}, code: 7, stderrLine: "kcc-cache: plugin sh failed: exit status 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code, stdout, stderr := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdoutHas) {
				t.Errorf("stdout %q lacks %q", stdout, tt.stdoutHas)
			}
			if tt.stderrLine == "" {
				if stderr != "" {
					t.Errorf("unexpected stderr %q", stderr)
				}
				return
			}
			if !strings.HasPrefix(stderr, tt.stderrLine) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one line starting %q", stderr, tt.stderrLine)
			}
		})
	}
}

func TestRunHelpDoesNotExecAnything(t *testing.T) {
	isolate(t)
	code, _, _ := runCmd(t, "--help")
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if _, err := os.Stat(os.Getenv("KUBE_CREDENTIAL_CACHE_FILE")); !os.IsNotExist(err) {
		t.Errorf("--help touched the cache: %v", err)
	}
}

func TestRunManagement(t *testing.T) {
	isolate(t)
	t.Setenv("KCC_MAIN_TEST_PLUGIN", "1")
	t.Setenv("KUBE_CREDENTIAL_CACHE_USER", "alice")
	if code, out, errOut := runCmd(t, os.Args[0], "--token=should-not-show"); code != 0 || !strings.Contains(out, "main-test-token") {
		t.Fatalf("proxy: code %d out %q err %q", code, out, errOut)
	}
	t.Setenv("KUBE_CREDENTIAL_CACHE_USER", "bob")
	runCmd(t, os.Args[0])

	code, out, _ := runCmd(t, "--list", "-o", "json")
	var entries []struct{ Key, User, Command string }
	if err := json.Unmarshal([]byte(out), &entries); code != 0 || err != nil || len(entries) != 2 {
		t.Fatalf("--list -o json: code %d, %v, %q", code, err, out)
	}
	_, table, _ := runCmd(t, "--list")
	for _, s := range []string{"main-test-token", "should-not-show"} {
		if strings.Contains(out+table, s) {
			t.Errorf("--list shows a secret %q", s)
		}
	}
	if !strings.Contains(table, "alice") || !strings.Contains(table, "bob") {
		t.Errorf("--list table lacks users:\n%s", table)
	}

	var alice string
	for _, e := range entries {
		if e.User == "alice" {
			alice = e.Key
		}
	}
	if code, out, errOut := runCmd(t, "--clear", alice[:8]); code != 0 || out != "cleared 1 cache entry\n" {
		t.Fatalf("--clear prefix: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "--clear", alice[:8]); code != 1 || !strings.Contains(errOut, "no cache entry") {
		t.Fatalf("--clear of a gone key: %d %q", code, errOut)
	}
	if code, out, _ := runCmd(t, "--clear"); code != 0 || out != "cleared 1 cache entry\n" {
		t.Fatalf("--clear all: %d %q", code, out)
	}
	if _, out, _ := runCmd(t, "--list", "-o", "json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("cache not empty after --clear: %q", out)
	}

	code, out, _ = runCmd(t, "--info")
	if code != 0 || !strings.Contains(out, "backend:") || !strings.Contains(out, os.Getenv("KUBE_CREDENTIAL_CACHE_FILE")) {
		t.Fatalf("--info: %d %q", code, out)
	}
}

func TestKeyListIsTrimmed(t *testing.T) {
	isolate(t)
	t.Setenv("KUBE_CREDENTIAL_CACHE_CACHEKEY_ENV_LIST", "KUBE_CREDENTIAL_CACHE_USER, AWS_PROFILE ,,")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.CacheKeyEnvList, ","); got != "KUBE_CREDENTIAL_CACHE_USER,AWS_PROFILE" {
		t.Errorf("CacheKeyEnvList = %q", got)
	}
}
