// Package filelock serialises processes on a sibling lock file.
package filelock

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/owner"
	"github.com/gofrs/flock"
)

// ErrHeld is returned when another process holds the lock for longer than
// the caller would wait (at once for a timeout of 0).
var ErrHeld = errors.New("held by another process")

// Lock takes an exclusive lock on path (a sibling lock file, never the data
// file: locking a file that is replaced by rename locks nothing, and on
// Windows a locked file cannot be renamed over).
//
// It first tries without waiting, so a free lock is always taken, whatever
// the timeout. A held lock is waited for in the kernel, not by polling, for
// at most timeout; a timeout of 0 means "do not wait", never "fail at once".
// A symbolic link or a lock file that is not ours is refused with an error
// matching fs.ErrPermission (see owner.Check).
func Lock(path string, timeout time.Duration) (unlock func(), err error) {
	deadline := time.Now().Add(timeout)
	for {
		l, err := lockFile(path, max(time.Until(deadline), 0))
		if err != nil {
			return nil, err
		}
		// Prune may have removed the file between our open and our lock:
		// that lock excludes nobody who opens the path now, so lock what is
		// at the path then. Prune removes a file only while holding its
		// lock, so this takes another turn only when a prune ran in between.
		if current(l, path) {
			if err := ours(l, path); err != nil {
				_ = l.Unlock()
				return nil, err
			}
			return func() { _ = l.Unlock() }, nil
		}
		_ = l.Unlock()
	}
}

// openFlag opens a lock file as gofrs/flock does, but never through a
// symbolic link: a link planted in a shared directory would have us create
// or lock a file elsewhere.
var openFlag = func() int {
	switch runtime.GOOS {
	case "aix", "solaris", "illumos": // no exclusive lock on a read-only file
		return os.O_CREATE | os.O_RDWR | owner.NoFollow
	}
	return os.O_CREATE | os.O_RDONLY | owner.NoFollow
}()

func newFlock(path string) *flock.Flock { return flock.New(path, flock.SetFlag(openFlag)) }

// ours refuses a lock file that is not this user's own (owner.Check): one
// another user planted is one they can hold for as long as they like.
func ours(l *flock.Flock, path string) error {
	fi, err := l.Stat()
	if err != nil {
		return fmt.Errorf("could not inspect lock %s: %w", path, err)
	}
	if err := owner.Check(path, fi); err != nil {
		return fmt.Errorf("refusing lock file: %w", err)
	}
	return nil
}

// openError explains a failed open: a symbolic link as such (it fails with
// ELOOP, "too many levels of symbolic links", under O_NOFOLLOW).
func openError(path string, err error) error {
	if fi, lerr := os.Lstat(path); lerr == nil {
		if oerr := owner.Check(path, fi); oerr != nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("refusing lock file: %w", oerr)
		}
	}
	return fmt.Errorf("could not lock %s: %w", path, err)
}

// lockFile takes the lock on the file at path: at once when it is free,
// otherwise waiting for at most timeout.
func lockFile(path string, timeout time.Duration) (*flock.Flock, error) {
	l := newFlock(path)
	ok, err := l.TryLock()
	if err != nil {
		return nil, openError(path, err)
	}
	if ok {
		return l, nil
	}
	if timeout <= 0 {
		return nil, fmt.Errorf("could not lock %s: %w", path, ErrHeld)
	}
	done := make(chan error, 1)
	go func() { done <- l.Lock() }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil {
			return nil, fmt.Errorf("could not lock %s: %w", path, err)
		}
		return l, nil
	case <-t.C:
		// The goroutine may still get the lock later; the process exits soon
		// and the kernel releases it then.
		return nil, fmt.Errorf("could not lock %s: %w (waited %s)", path, ErrHeld, timeout)
	}
}

// current reports whether the locked file is still the one at path.
func current(l *flock.Flock, path string) bool {
	locked, err := l.Stat()
	if err != nil {
		return false
	}
	now, err := os.Stat(path)
	return err == nil && os.SameFile(locked, now)
}

// Prune removes the lock files (names ending in suffix) in dir that nobody
// holds, so that one lock file per key ever used does not pile up. Each is
// removed while Prune holds its lock, and Lock checks after locking that its
// file is still the one at the path, so a process that opened a file just
// before it went locks the new one instead: mutual exclusion holds. On
// Windows nothing is removed: a file that other processes have open cannot
// be replaced there until they close it.
func Prune(dir, suffix string) (removed int) {
	if runtime.GOOS == "windows" {
		return 0
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	for _, de := range ents {
		if !strings.HasSuffix(de.Name(), suffix) || !de.Type().IsRegular() {
			continue
		}
		path := filepath.Join(dir, de.Name())
		l := newFlock(path)
		if ok, err := l.TryLock(); err != nil || !ok {
			continue
		}
		if current(l, path) && ours(l, path) == nil && os.Remove(path) == nil {
			removed++
		}
		_ = l.Unlock()
	}
	return removed
}
