package cache

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

const (
	fpA = "aaaaaaaa11111111111111111111111111111111111111111111111111111111"
	fpB = "bbbbbbbb22222222222222222222222222222222222222222222222222222222"
)

// TestServeRefreshesWhenInputsChange: a fresh credential stored under one
// fingerprint of the plugin's identity files is not served under another;
// the new credential replaces it under the same key, and switching back is
// a refresh too (the entry remembers one identity, the last).
func TestServeRefreshesWhenInputsChange(t *testing.T) {
	h := newHarness(t)
	steps := []struct {
		fp, want string
		runs     int
	}{
		{fpA, "tok-1", 1},
		{fpA, "tok-1", 1},
		{fpB, "tok-2", 2},
		{fpB, "tok-2", 2},
		{fpA, "tok-3", 3},
	}
	for i, s := range steps {
		h.fingerprint = s.fp
		r := h.serve(fmt.Sprintf("kubectl-%d", i))
		if r.err != nil || tokenOf(t, r.stdout) != s.want || h.runs() != s.runs {
			t.Fatalf("step %d (%.8s): %+v, runs %d; want %s after %d runs", i, s.fp, r, h.runs(), s.want, s.runs)
		}
	}
	recs, _ := h.store.(*memStore).List()
	if len(recs) != 1 {
		t.Errorf("%d entries, want the one replaced in place", len(recs))
	}
}

// TestServeRefreshesEntryWithoutInputs: an entry stored before fingerprints
// (none recorded) is refreshed once for a plugin that has inputs, and kept
// for one that has none.
func TestServeRefreshesEntryWithoutInputs(t *testing.T) {
	h := newHarness(t)
	h.serve("a")
	h.serve("b")
	h.wantRuns(1)
	h.fingerprint = fpA
	if r := h.serve("c"); tokenOf(t, r.stdout) != "tok-2" {
		t.Fatalf("an entry without inputs was served to a plugin with some: %+v", r)
	}
	if r := h.serve("d"); tokenOf(t, r.stdout) != "tok-2" {
		t.Fatalf("not a hit after the refresh: %+v", r)
	}
	h.wantRuns(2)
}

// TestInputsChangeRunsThePluginOnce: many callers that find the inputs
// changed at once run the plugin once; the others wait on the lock and
// serve what it stored.
func TestInputsChangeRunsThePluginOnce(t *testing.T) {
	h := newHarness(t, "KCC_TEST_SLEEP=200ms")
	h.fingerprint = fpA
	h.serve("first")
	h.fingerprint = fpB
	var wg sync.WaitGroup
	results := make([]result, 16)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = h.serve(fmt.Sprintf("kubectl-%d", i))
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil || tokenOf(t, r.stdout) != "tok-2" {
			t.Errorf("caller %d: %+v", i, r)
		}
	}
	h.wantRuns(2)
}

// TestDebugShowsAShortDigest: the debug line says the inputs changed and
// shows 8 characters of each fingerprint, not the whole digest.
func TestDebugShowsAShortDigest(t *testing.T) {
	h := newHarness(t)
	h.fingerprint = fpA
	h.serve("a")
	h.fingerprint = fpB
	r := h.serveWith("b", nil, true)
	if !strings.Contains(r.stderr, "identity inputs changed (now bbbbbbbb, stored aaaaaaaa)") {
		t.Errorf("debug output does not tell the inputs changed:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, fpA[:9]) || strings.Contains(r.stderr, fpB[:9]) {
		t.Errorf("debug output shows more than a short digest:\n%s", r.stderr)
	}
}

func (h *harness) wantRuns(n int) {
	h.t.Helper()
	if got := h.runs(); got != n {
		h.t.Fatalf("plugin ran %d times, want %d", got, n)
	}
}
