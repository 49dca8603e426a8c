package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/IvMisticos/kube-credential-cache/internal/testbin"
)

// A link from the feed that a terminal would act on is left out of the
// notice and of version --check; the version is still shown.
func TestVersionNoticeDropsAnUnprintableLink(t *testing.T) {
	newExtrasEnv(t)
	withVersion(t, "1.2.3")
	srv, hits := feedOf(t, `{"tag_name":"v1.3.0","html_url":"https://example.test/\u001b]0;owned\u0007\u001b[2J"}`)
	t.Setenv("KCC_CONNECT_VERSION_CHECK_URL", srv.URL)
	const notice = "kcc-connect: a new version v1.3.0 is available (you have 1.2.3)\n"
	onTerminal := func(a *app) {
		a.terminal = func(w any) bool { return w == a.stderr }
		a.httpClient = srv.Client()
	}
	r := execApp(t, onTerminal, "history", "-o", "json").wantOK(t)
	if !strings.HasSuffix(r.stderr, notice) || hits.Load() != 1 {
		t.Fatalf("notice %q (%d requests), want it to end in %q", r.stderr, hits.Load(), notice)
	}
	out := execApp(t, trustFeed(srv), "version", "--check").wantOK(t).stdout
	if !strings.HasSuffix(out, notice) {
		t.Fatalf("version --check %q", out)
	}
}

// The notice is best-effort: a configured http:// feed is never asked, and
// the command says nothing about it (-vv logs it); version --check, asked
// for, says why in one line (TestVersionCommand).
func TestVersionNoticeNeverAsksAnHTTPFeed(t *testing.T) {
	newExtrasEnv(t)
	withVersion(t, "1.2.3")
	var hits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`{"tag_name":"v1.3.0"}`))
	}))
	t.Cleanup(plain.Close)
	t.Setenv("KCC_CONNECT_VERSION_CHECK_URL", plain.URL)
	r := execApp(t, func(a *app) { a.terminal = func(w any) bool { return w == a.stderr } }, "history", "-o", "json").wantOK(t)
	if r.stderr != "" || hits.Load() != 0 {
		t.Fatalf("stderr %q, %d requests over http", r.stderr, hits.Load())
	}
}

// On a real terminal, the escape sequences a feed puts in its link never
// reach the screen: the notice shows without the link, and the terminal's
// title is not changed.
func TestVersionNoticeEscapesNeverReachTheTerminal(t *testing.T) {
	testbin.Require(t, "tmux")
	bin := extrasBinary(t)
	srv, hits := feedOf(t, `{"tag_name":"v1.3.0","html_url":"https://example.test/\u001b]2;OWNED\u0007\u001b[31mRED"}`)
	term := testbin.StartTerminal(t, []string{"HOME=" + t.TempDir(), "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=",
		"SSL_CERT_FILE=" + caFile(t, srv), "KCC_CONNECT_VERSION_CHECK_URL=" + srv.URL}, testbin.Quote(bin, "history", "-o", "json"))
	screen := term.WaitFor(t, "EXIT:")
	if !strings.Contains(screen, "kcc-connect: a new version v1.3.0 is available (you have 1.2.3)") || strings.Contains(screen, "RED") || hits.Load() != 1 {
		t.Fatalf("%d requests, screen:\n%s", hits.Load(), screen)
	}
	if title := term.Title(t); strings.Contains(title, "OWNED") {
		t.Fatalf("the feed set the terminal's title to %q", title)
	}
}
