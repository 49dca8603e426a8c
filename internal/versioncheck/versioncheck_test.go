package versioncheck

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

type feed struct {
	*httptest.Server
	hits atomic.Int32
}

func newFeed(t *testing.T, status int, body string) *feed {
	f := &feed{}
	f.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(f.Close)
	return f
}

// checker asks srv (an https test server, whose certificate its client
// trusts).
func checker(t *testing.T, srv *httptest.Server, now *time.Time) *Checker {
	return &Checker{
		URL: srv.URL, Current: "1.2.3", Client: srv.Client(),
		StampPath: filepath.Join(t.TempDir(), "connect", "version-check"),
		Now:       func() time.Time { return *now },
	}
}

const release = `{"tag_name":"v1.3.0","html_url":"https://example.test/releases/v1.3.0","body":"ignored"}`

func TestCheck(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, current string
		status        int
		body          string
		newer         bool
		err           string
	}{
		{"newer", "1.2.3", 200, release, true, ""},
		{"same", "v1.3.0", 200, release, false, ""},
		{"dev build", "dev", 200, release, false, ""},
		{"server error", "1.2.3", 500, "oops", false, "500"},
		{"not json", "1.2.3", 200, "<html>", false, "invalid character"},
		{"not a version", "1.2.3", 200, `{"tag_name":"nightly"}`, false, "not a version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checker(t, newFeed(t, tt.status, tt.body).Server, &now)
			c.Current = tt.current
			r, err := c.Check(context.Background())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Check = %+v, %v; want an error with %q", r, err, tt.err)
				}
				return
			}
			if err != nil || r.Newer != tt.newer || r.Latest != "v1.3.0" {
				t.Fatalf("Check = %+v, %v; want newer=%v", r, err, tt.newer)
			}
		})
	}
}

func TestNoticeLine(t *testing.T) {
	r := Result{Current: "1.2.3", Latest: "v1.3.0", Newer: true, URL: "https://example.test/r"}
	if got := r.Notice("kcc-connect"); got != "kcc-connect: a new version v1.3.0 is available (you have 1.2.3): https://example.test/r" {
		t.Fatal(got)
	}
}

func TestDailyAtMostOnceADay(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	f := newFeed(t, 200, release)
	c := checker(t, f.Server, &now)
	steps := []struct {
		advance time.Duration
		checked bool
		hits    int32
	}{
		{0, true, 1},
		{time.Hour, false, 1},
		{22 * time.Hour, false, 1},
		{time.Hour, true, 2}, // 24 h after the first
		{time.Minute, false, 2},
		{-48 * time.Hour, true, 3}, // the clock went back: the stamp is from the future
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		r, checked, err := c.Daily(context.Background())
		if err != nil || checked != s.checked || f.hits.Load() != s.hits {
			t.Fatalf("step %d: checked %v, %v, %d requests; want checked %v, %d requests", i, checked, err, f.hits.Load(), s.checked, s.hits)
		}
		if checked && !r.Newer {
			t.Fatalf("step %d: %+v", i, r)
		}
	}
	if st, err := os.Stat(c.StampPath); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("stamp: %v %v", st, err)
	}
}

// A failed check is still a check: an offline laptop pays the bound once a
// day, not on every command.
func TestDailyFailureStillStamps(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	f := newFeed(t, 503, "")
	c := checker(t, f.Server, &now)
	if _, checked, err := c.Daily(context.Background()); !checked || err == nil {
		t.Fatalf("checked %v, err %v", checked, err)
	}
	now = now.Add(time.Hour)
	if _, checked, _ := c.Daily(context.Background()); checked || f.hits.Load() != 1 {
		t.Fatalf("checked again within the day after a failure (%d requests)", f.hits.Load())
	}
}

// A feed that never answers: the check returns at its bound with no result.
// The handler only returns when the test ends, so Check can only come back
// by giving up: a Check without a bound would hang this test.
func TestSlowFeedGivesUpAtTheBound(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	now := time.Now()
	c := checker(t, srv, &now) // Timeout 0: DefaultTimeout, 1 s
	r, checked, err := c.Daily(context.Background())
	if !checked || !errors.Is(err, context.DeadlineExceeded) || r != (Result{}) {
		t.Fatalf("Daily = %+v, %v, %v; want a deadline error and no result", r, checked, err)
	}
}
