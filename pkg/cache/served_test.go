package cache

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/IvMisticos/kube-credential-cache/internal/filelock"
)

// countMarkers counts the served and heal marker files under dir.
func countMarkers(t *testing.T, dir string) (served, heal int) {
	t.Helper()
	for _, sub := range []string{"served", "heal"} {
		_ = filepath.WalkDir(filepath.Join(dir, sub), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				if sub == "served" {
					served++
				} else {
					heal++
				}
			}
			return nil
		})
	}
	return served, heal
}

// age moves the times of everything under dir back by d, as if d had passed.
func age(t *testing.T, dir string, d time.Duration) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := de.Info()
		if err != nil {
			return err
		}
		mt := info.ModTime().Add(-d)
		return os.Chtimes(path, mt, mt)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A machine that runs kubectl all day against a credential that is never
// refreshed (a client certificate valid for a year): one served marker per
// kubectl process. The markers must stay bounded by about a day's calls,
// swept by the hits themselves since no refresh ever comes.
func TestServedMarkersStayBoundedWithoutRefreshes(t *testing.T) {
	h := newHarness(t, "KCC_TEST_EXPIRES_IN=8760h")
	h.sweepOnHit = func() bool { return true } // the odds, made certain
	const perDay = 300
	for day := range 5 {
		for i := range perDay {
			if r := h.serve(fmt.Sprintf("kubectl-%d-%d", day, i)); r.err != nil {
				t.Fatal(r.err)
			}
		}
		served, _ := countMarkers(t, h.dir)
		if served > 2*perDay {
			t.Fatalf("day %d: %d served markers, want at most the last day's and today's (%d)", day, served, 2*perDay)
		}
		age(t, h.dir, 24*time.Hour)
	}
	if n := h.runs(); n != 1 {
		t.Fatalf("the plugin ran %d times, want 1: the test is about hits", n)
	}
}

// A refresh drops the markers of the generation it replaced at once, with no
// sweep, and the heal markers go once their cool-down is over.
func TestServedMarkersOfAReplacedGenerationGo(t *testing.T) {
	h := newHarness(t)
	h.sweepOnHit = func() bool { return false }
	for i := range 10 {
		h.serve(fmt.Sprintf("p%d", i))
	}
	if served, _ := countMarkers(t, h.dir); served != 10 {
		t.Fatalf("%d served markers after 10 callers, want 10", served)
	}
	h.serve("p1") // p1 asks again: a 401 retry, refresh
	if h.runs() != 2 {
		t.Fatalf("no refresh: %d runs", h.runs())
	}
	served, heal := countMarkers(t, h.dir)
	if served != 1 || heal != 1 {
		t.Fatalf("after the refresh: %d served and %d heal markers, want p1's one of each", served, heal)
	}
	age(t, h.dir, h.policy.HealCooldown+2*time.Minute)
	age(t, filepath.Join(h.dir, "served"), sweepEvery) // let the next refresh sweep
	h.serve("p2")
	h.serve("p2") // p2's retry: the next refresh, which sweeps
	if h.runs() != 3 {
		t.Fatalf("no second refresh: %d runs", h.runs())
	}
	if _, heal := countMarkers(t, h.dir); heal != 1 {
		t.Errorf("%d heal markers, want p2's only: p1's cool-down is over", heal)
	}
}

// Markers of the single-directory layout of earlier versions are swept too.
func TestSweepRemovesOldFlatMarkers(t *testing.T) {
	h := newHarness(t)
	dir := filepath.Join(h.dir, "served")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	flat := filepath.Join(dir, "0123456789abcdef0123.gen.42-1000")
	if err := os.WriteFile(flat, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	age(t, dir, 3*24*time.Hour)
	h.serve("a") // a miss: stores, then sweeps
	if _, err := os.Stat(flat); !os.IsNotExist(err) {
		t.Errorf("old flat marker kept: %v", err)
	}
}

// LOCK_TIMEOUT=0 means "do not wait for another process": a free lock is
// taken (once, every attempt timed out at once and every miss warned), and a
// held one is not waited for, silently.
func TestServeLockTimeoutZero(t *testing.T) {
	t.Run("free lock", func(t *testing.T) {
		h := newHarness(t)
		h.lockTimeout = 0
		r := h.serve("a")
		if r.err != nil || r.stderr != "" || tokenOf(t, r.stdout) != "tok-1" {
			t.Fatalf("miss with LOCK_TIMEOUT=0: %+v", r)
		}
		if r := h.serve("b"); tokenOf(t, r.stdout) != "tok-1" || h.runs() != 1 {
			t.Fatalf("not cached: %+v, %d runs", r, h.runs())
		}
	})
	t.Run("held lock", func(t *testing.T) {
		h := newHarness(t)
		h.lockTimeout = 0
		other := holdKeyLock(t, h)
		r := h.serve("a")
		if r.err != nil || r.stderr != "" || tokenOf(t, r.stdout) != "tok-1" {
			t.Fatalf("miss while another process holds the lock: %+v", r)
		}
		_ = other.Unlock()
		if r := h.serve("b"); tokenOf(t, r.stdout) != "tok-1" || h.runs() != 1 {
			t.Fatalf("not cached: %+v, %d runs", r, h.runs())
		}
	})
	t.Run("held lock, with a timeout", func(t *testing.T) {
		h := newHarness(t)
		h.lockTimeout = 10 * time.Millisecond
		holdKeyLock(t, h)
		r := h.serve("a")
		if r.err != nil || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "running the plugin without it") {
			t.Fatalf("want one warning when the wait ends: %+v", r)
		}
	})
}

// holdKeyLock takes the per-key lock of h's identity through its own open
// file, as another kcc-cache process would.
func holdKeyLock(t *testing.T, h *harness) *flock.Flock {
	t.Helper()
	dir := filepath.Join(h.dir, "locks")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	l := flock.New(filepath.Join(dir, h.id.Key()+".lock"))
	if ok, err := l.TryLock(); !ok || err != nil {
		t.Fatalf("could not hold the key's lock: %v", err)
	}
	t.Cleanup(func() { _ = l.Unlock() })
	return l
}

// The per-key lock files are swept with the markers: free ones go, a held
// one stays (internal/filelock's Prune and Lock keep that safe).
func TestLockFilesSweptWithTheMarkers(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("lock files are kept on Windows (filelock.Prune)")
	}
	h := newHarness(t)
	locks := filepath.Join(h.dir, "locks")
	if err := os.MkdirAll(locks, 0o700); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := os.WriteFile(filepath.Join(locks, fmt.Sprintf("%064d.lock", i)), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	held := filepath.Join(locks, fmt.Sprintf("%064d.lock", 7))
	unlock, err := filelock.Lock(held, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	lockNames := func() []string {
		t.Helper()
		ents, err := os.ReadDir(locks)
		if err != nil {
			t.Fatal(err)
		}
		names := make([]string, len(ents))
		for i, de := range ents {
			names[i] = de.Name()
		}
		return names
	}
	h.serve("a") // a miss: stores, then sweeps (the first sweep is due)
	if names := lockNames(); len(names) != 2 || !slices.Contains(names, filepath.Base(held)) {
		t.Fatalf("lock files after the miss's sweep: %v, want the held one and the miss's own", names)
	}
	// A hit an hour later sweeps again, and the miss's lock is free now.
	h.sweepOnHit = func() bool { return true }
	age(t, filepath.Join(h.dir, "served"), sweepEvery)
	h.serve("b")
	if h.runs() != 1 {
		t.Fatalf("the plugin ran %d times, want 1", h.runs())
	}
	if names := lockNames(); len(names) != 1 || names[0] != filepath.Base(held) {
		t.Fatalf("lock files after the hit's sweep: %v, want only the held one", names)
	}
}
