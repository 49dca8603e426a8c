// Package filelock serialises processes on a sibling lock file.
package filelock

import (
	"fmt"
	"time"

	"github.com/gofrs/flock"
)

// Lock takes an exclusive lock on path (a sibling lock file, never the
// data file: locking a file that is replaced by rename locks nothing, and on
// Windows a locked file cannot be renamed over). It waits in the kernel, not
// by polling, and gives up after timeout.
func Lock(path string, timeout time.Duration) (unlock func(), err error) {
	l := flock.New(path)
	done := make(chan error, 1)
	go func() { done <- l.Lock() }()
	select {
	case err := <-done:
		if err != nil {
			return nil, fmt.Errorf("could not lock %s: %w", path, err)
		}
		return func() { _ = l.Unlock() }, nil
	case <-time.After(timeout):
		// The goroutine may still get the lock later; the process exits soon
		// and the kernel releases it then.
		return nil, fmt.Errorf("could not lock %s: timed out after %s", path, timeout)
	}
}
