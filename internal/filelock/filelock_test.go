package filelock

import (
	"errors"
	"path/filepath"
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
