package versioncheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The feed is asked only over https: a configured http:// URL and a
// redirect to one are refused before any request goes out over http.
func TestFeedOnlyOverHTTPS(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		w.Write([]byte(release))
	}))
	t.Cleanup(plain.Close)
	redirect := httptest.NewTLSServer(http.RedirectHandler(plain.URL+"/latest", http.StatusFound))
	t.Cleanup(redirect.Close)

	for _, tt := range []struct {
		name string
		c    *Checker
		want string
	}{
		{"http feed", &Checker{URL: plain.URL, Current: "1.2.3"}, "is not an https:// URL"},
		{"redirect to http", checker(t, redirect, &now), "redirected to " + plain.URL + "/latest, which is not https://"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.c.Check(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) || r != (Result{}) {
				t.Fatalf("Check = %+v, %v; want an error with %q", r, err, tt.want)
			}
		})
	}
	if plainHits.Load() != 0 {
		t.Fatalf("%d requests went out over plain http", plainHits.Load())
	}
}

// What the feed says reaches the terminal only as a version that parses
// and a link that is an https:// URL with nothing a terminal would act on.
func TestFeedFieldsArePrintable(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, body, url, err string
	}{
		{"good link", `{"tag_name":"v1.3.0","html_url":"https://example.test/releases/v1.3.0"}`, "https://example.test/releases/v1.3.0", ""},
		{"escape in link", `{"tag_name":"v1.3.0","html_url":"https://example.test/\u001b]8;;https://evil.test\u0007x"}`, "", ""},
		{"C1 in link", `{"tag_name":"v1.3.0","html_url":"https://example.test/\u009b2J"}`, "", ""},
		{"bidi in link", `{"tag_name":"v1.3.0","html_url":"https://example.test/\u202eexe.txt"}`, "", ""},
		{"http link", `{"tag_name":"v1.3.0","html_url":"http://example.test/releases/v1.3.0"}`, "", ""},
		{"javascript link", `{"tag_name":"v1.3.0","html_url":"javascript:alert(1)"}`, "", ""},
		{"link with user", `{"tag_name":"v1.3.0","html_url":"https://example.test@evil.test/"}`, "", ""},
		{"link that does not parse", `{"tag_name":"v1.3.0","html_url":"https://exa mple.test/%zz"}`, "", ""},
		{"escape in tag", `{"tag_name":"v1.3.0-\u001b[2J","html_url":"https://example.test/r"}`, "", "is not a version"},
		{"escape in build", `{"tag_name":"v1.3.0+\u001b[2J","html_url":"https://example.test/r"}`, "", "is not a version"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := checker(t, newFeed(t, 200, tt.body).Server, &now)
			r, err := c.Check(context.Background())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || strings.ContainsRune(err.Error(), 0x1b) {
					t.Fatalf("Check = %+v, %v; want an error with %q and no escape", r, err, tt.err)
				}
				return
			}
			if err != nil || r.URL != tt.url {
				t.Fatalf("Check = %+v, %v; want URL %q", r, err, tt.url)
			}
			if line := r.Notice("kcc-connect"); strings.ContainsAny(line, "\x1b\x07\u009b\u202e") {
				t.Fatalf("notice %q", line)
			}
		})
	}
}

// The answer is read through a limit: a feed that never stops sending is
// refused once it passes 1 MiB.
func TestFeedAnswerIsBounded(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"tag_name":"v1.3.0","body":"`))
		chunk := []byte(strings.Repeat("x", 1<<15))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	c := checker(t, srv, &now)
	c.Timeout = time.Minute // the limit, not the bound, ends this check
	if r, err := c.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "answer larger than 1048576 bytes") {
		t.Fatalf("Check = %+v, %v", r, err)
	}
}
