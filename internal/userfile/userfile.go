// Package userfile is the one edit flow for the files a user owns and
// kcc tools change (kubeconfig, kcc-connect's settings and history): read
// through a size limit, change in memory, skip a write that changes
// nothing, and replace the file atomically with its mode and owner kept.
package userfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
	"github.com/IvMisticos/kube-credential-cache/internal/filelock"
)

// TooLargeError is a file over the size its reader accepts: a path that
// names the wrong file (or /dev/zero) costs Limit bytes, not all memory.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than %d bytes, too large to be one (check the path)", e.Limit)
}

// Read reads path, failing with a *TooLargeError once more than limit
// bytes come; a missing file is an error wrapping fs.ErrNotExist.
func Read(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	} else if err == nil && st.Mode().IsRegular() && st.Size() > limit {
		return nil, &TooLargeError{limit}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{limit}
	}
	return data, nil
}

// Write replaces path with data atomically, keeping its mode (and owner,
// when root). A file that does not exist yet is created 0600, in a
// directory created 0700 if needed: these files name credentials.
func Write(path string, data []byte) error {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("could not create the directory of %s: %w", path, err)
		}
		return atomicfile.WriteFile(path, data, 0o600)
	}
	if err != nil {
		return fmt.Errorf("could not stat %s: %w", path, err)
	}
	return atomicfile.WriteFileWith(path, data, info.Mode().Perm(), func(tmp *os.File) error {
		return keepOwner(tmp, info)
	})
}

// Locked says how Update reads and locks.
type Locked struct {
	// Limit bounds the bytes read (see Read).
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
func Update(path string, o Locked, change func(old []byte) ([]byte, error)) error {
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
	old, err := Read(path, o.Limit)
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
	return Write(path, data)
}
