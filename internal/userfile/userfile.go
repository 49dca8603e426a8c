// Package userfile reads and writes the files a user owns and kcc tools
// change (kubeconfig, kcc-connect's settings and history): read through a
// size limit, replace atomically with the mode and owner kept. The edit
// flows built on it are kubeconfigfile (kubectl's lock) and lockedfile.
package userfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
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
