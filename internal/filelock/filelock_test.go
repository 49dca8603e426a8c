package filelock

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// hold takes the lock through a separate open file, as another process
// would: flock locks belong to open files, so it excludes Lock here too.
func hold(t *testing.T, path string) *flock.Flock {
	t.Helper()
	l := flock.New(path)
	if ok, err := l.TryLock(); !ok || err != nil {
		t.Fatalf("could not hold %s: %v", path, err)
	}
	t.Cleanup(func() { _ = l.Unlock() })
	return l
}

func TestLockFreeLockIsTakenWhateverTheTimeout(t *testing.T) {
	// A timeout of 0 once made every attempt time out at once, even on a
	// free lock: every miss then warned and ran the plugin unlocked.
	for _, timeout := range []time.Duration{0, time.Nanosecond, time.Minute} {
		path := filepath.Join(t.TempDir(), "k.lock")
		unlock, err := Lock(path, timeout)
		if err != nil {
			t.Fatalf("timeout %v: free lock not taken: %v", timeout, err)
		}
		if ok, _ := flock.New(path).TryLock(); ok {
			t.Fatalf("timeout %v: Lock returned but the lock is free", timeout)
		}
		unlock()
		if ok, err := flock.New(path).TryLock(); !ok || err != nil {
			t.Fatalf("timeout %v: unlock did not release: %v", timeout, err)
		}
	}
}

func TestLockHeldLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.lock")
	hold(t, path)
	for _, timeout := range []time.Duration{0, 20 * time.Millisecond} {
		if _, err := Lock(path, timeout); !errors.Is(err, ErrHeld) {
			t.Errorf("timeout %v on a held lock: %v, want ErrHeld", timeout, err)
		}
	}
}

func TestLockWaitsForRelease(t *testing.T) {
	// A lock of its own: an attempt that timed out leaves its waiter behind
	// (a kcc-cache process exits right after), which would take the lock above.
	path := filepath.Join(t.TempDir(), "k.lock")
	other := hold(t, path)
	got := make(chan error, 1)
	go func() {
		unlock, err := Lock(path, time.Minute)
		if err == nil {
			unlock()
		}
		got <- err
	}()
	time.Sleep(10 * time.Millisecond)
	if err := other.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("lock released during the wait was not taken: %v", err)
	}
}

func TestPruneRemovesOnlyFreeLockFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Prune keeps every file on Windows (see Prune)")
	}
	dir := t.TempDir()
	for _, name := range []string{"held.lock", "free.lock", "other.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	hold(t, filepath.Join(dir, "held.lock"))
	if n := Prune(dir, ".lock"); n != 1 {
		t.Errorf("Prune removed %d files, want 1", n)
	}
	for name, want := range map[string]bool{"held.lock": true, "free.lock": false, "other.txt": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", name, err == nil, want)
		}
	}
}

// Lockers and a pruner at full speed: never two holders at once. Without
// Lock's check that its file is still at the path, a locker that opened the
// file just before the pruner removed it held a lock of its own.
func TestLockExcludesWhilePruning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Prune keeps every file on Windows (see Prune)")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "k.lock")
	var inside, overlaps, rounds atomic.Int64
	stop := make(chan struct{})
	var pruner sync.WaitGroup
	pruner.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				Prune(dir, ".lock")
			}
		}
	})
	var lockers sync.WaitGroup
	for range 8 {
		lockers.Go(func() {
			for range 300 {
				unlock, err := Lock(path, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if inside.Add(1) != 1 {
					overlaps.Add(1)
				}
				runtime.Gosched()
				inside.Add(-1)
				rounds.Add(1)
				unlock()
			}
		})
	}
	lockers.Wait()
	close(stop)
	pruner.Wait()
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d of %d lock holds overlapped another", n, rounds.Load())
	}
}
