// Package filelock serialises processes on a sibling lock file.
package filelock

import (
	"errors"
	"fmt"
	"time"

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
func Lock(path string, timeout time.Duration) (unlock func(), err error) {
	l := flock.New(path)
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("could not lock %s: %w", path, err)
	}
	if ok {
		return func() { _ = l.Unlock() }, nil
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
		return func() { _ = l.Unlock() }, nil
	case <-t.C:
		// The goroutine may still get the lock later; the process exits soon
		// and the kernel releases it then.
		return nil, fmt.Errorf("could not lock %s: %w (waited %s)", path, ErrHeld, timeout)
	}
}
