// Package lockedfile is the edit flow of kcc-connect's own files (settings,
// history): an flock on "<path>.lock" held from the read to the rename,
// the read through a size limit, no write when nothing changed, and an
// atomic write keeping mode and owner (internal/userfile). It is apart from
// userfile so that kcc-injector, which takes kubectl's lock instead, does
// not link flock.
package lockedfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/filelock"
	"github.com/IvMisticos/kube-credential-cache/internal/userfile"
)

// Options say how Update reads and locks.
type Options struct {
	// Limit bounds the bytes read (see userfile.Read).
	Limit int64
	// LockWait bounds the wait for another process's lock on
	// "<path>.lock"; 0 means 10 seconds.
	LockWait time.Duration
}

// Update changes the file at path under an flock on "<path>.lock", from
// the read to the rename, so concurrent updates each see the last one.
// change gets the current content (nil when the file does not exist) and
// returns the new one; when it fails, or returns the content unchanged,
// nothing is written.
func Update(path string, o Options, change func(old []byte) ([]byte, error)) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("could not create %s: %w", dir, err)
	}
	wait := o.LockWait
	if wait == 0 {
		wait = 10 * time.Second
	}
	unlock, err := filelock.Lock(path+".lock", wait)
	if err != nil {
		return err
	}
	defer unlock()
	old, err := userfile.Read(path, o.Limit)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("could not read %s: %w", path, err)
	}
	existed := err == nil
	data, err := change(old)
	if err != nil {
		return err
	}
	if existed && bytes.Equal(data, old) {
		return nil // leave the file and its timestamps alone
	}
	return userfile.Write(path, data)
}
