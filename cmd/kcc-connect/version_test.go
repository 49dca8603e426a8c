package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// releaseFeed serves a "latest release" answer over https and counts the
// requests; trustFeed makes the app trust its certificate.
func releaseFeed(t *testing.T, tag string) (*httptest.Server, *atomic.Int32) {
	return feedOf(t, `{"tag_name":"`+tag+`","html_url":"https://example.test/releases/`+tag+`"}`)
}

func feedOf(t *testing.T, answer string) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func trustFeed(srv *httptest.Server) func(*app) {
	return func(a *app) { a.httpClient = srv.Client() }
}

// withVersion sets the build's version for one test.
func withVersion(t *testing.T, v string) {
	old := version
	version = v
	t.Cleanup(func() { version = old })
}

func TestVersionCommand(t *testing.T) {
	newExtrasEnv(t)
	withVersion(t, "1.2.3")
	if out := execApp(t, nil, "version").wantOK(t).stdout; out != "kcc-connect 1.2.3\n" {
		t.Fatalf("version: %q", out)
	}
	srv, hits := releaseFeed(t, "v1.4.0")
	t.Setenv("KCC_CONNECT_VERSION_CHECK_URL", srv.URL)
	trust := trustFeed(srv)
	out := execApp(t, trust, "version", "--check").wantOK(t).stdout
	if !strings.Contains(out, "kcc-connect: a new version v1.4.0 is available (you have 1.2.3): https://example.test/releases/v1.4.0") {
		t.Fatalf("version --check: %q", out)
	}
	// --check asks every time, whatever the daily bound.
	execApp(t, trust, "version", "--check").wantOK(t)
	if hits.Load() != 2 {
		t.Fatalf("%d requests for two --check, want 2", hits.Load())
	}
	withVersion(t, "1.4.0")
	if out := execApp(t, trust, "version", "--check").wantOK(t).stdout; !strings.Contains(out, "the latest release is v1.4.0") {
		t.Fatalf("up to date: %q", out)
	}
	execApp(t, trust, "version", "--check", "--version-check-url", "http://127.0.0.1:1/").wantError(t, 1, "version check: the feed http://127.0.0.1:1/ is not an https:// URL")
	execApp(t, trust, "version", "--check", "--version-check-url", "https://127.0.0.1:1/").wantError(t, 1, "version check:")
	execApp(t, nil, "version", "x").wantError(t, 2, "takes no arguments")
}

func TestVersionNotice(t *testing.T) {
	env := newExtrasEnv(t)
	withVersion(t, "1.2.3")
	srv, hits := releaseFeed(t, "v1.3.0")
	t.Setenv("KCC_CONNECT_VERSION_CHECK_URL", srv.URL)
	now := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	terminal := func(a *app) {
		a.terminal = func(w any) bool { return w == a.stderr }
		a.now = func() time.Time { return now }
		a.httpClient = srv.Client()
	}
	notice := "kcc-connect: a new version v1.3.0 is available (you have 1.2.3): https://example.test/releases/v1.3.0\n"

	steps := []struct {
		name    string
		setup   func(*app)
		advance time.Duration
		args    []string
		env     map[string]string
		shown   bool
		hits    int32
	}{
		{"not a terminal: no check", nil, 0, []string{"history"}, nil, false, 0},
		{"turned off by flag", terminal, 0, []string{"history", "--no-version-check"}, nil, false, 0},
		{"turned off by env", terminal, 0, []string{"history"}, map[string]string{"KCC_CONNECT_NO_VERSION_CHECK": "true"}, false, 0},
		{"first run on a terminal", terminal, 0, []string{"history"}, nil, true, 1},
		{"same day", terminal, 23 * time.Hour, []string{"history"}, nil, false, 1},
		{"next day", terminal, time.Hour, []string{"config", "list"}, nil, true, 2},
		{"version has its own", terminal, 25 * time.Hour, []string{"version"}, nil, false, 2},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			for k, v := range s.env {
				t.Setenv(k, v)
			}
			now = now.Add(s.advance)
			r := execApp(t, s.setup, s.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, notice) != s.shown || hits.Load() != s.hits {
				t.Fatalf("stderr %q, %d requests; want notice %v and %d requests", r.stderr, hits.Load(), s.shown, s.hits)
			}
			if strings.Contains(r.stdout, "new version") {
				t.Fatal("the notice went to stdout")
			}
		})
	}

	// Turned off in the config file.
	now = now.Add(48 * time.Hour)
	execApp(t, nil, "config", "set", "no-version-check", "true").wantOK(t)
	if r := execApp(t, terminal, "history"); strings.Contains(r.stderr, "new version") || hits.Load() != 2 {
		t.Fatalf("config no-version-check: %q, %d requests", r.stderr, hits.Load())
	}
	os.Remove(env.config)

	// The stamp is in the user's cache directory.
	cache, _ := os.UserCacheDir()
	if _, err := os.Stat(filepath.Join(cache, "kube-credential-cache", "connect", "version-check")); err != nil {
		t.Fatal(err)
	}
}

// A feed that never answers costs a command at most the check's bound and
// prints nothing. The handler returns only when the test ends, so the
// command can only finish because the check gave up.
func TestVersionNoticeSlowFeed(t *testing.T) {
	newExtrasEnv(t)
	withVersion(t, "1.2.3")
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	t.Setenv("KCC_CONNECT_VERSION_CHECK_URL", srv.URL)
	r := execApp(t, func(a *app) { a.terminal = func(any) bool { return true }; a.httpClient = srv.Client() }, "history", "-o", "json")
	if r.code != 0 || r.stdout != "[]\n" || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
}
