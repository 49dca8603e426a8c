package backend

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
)

// ensurePrivateDir creates dir (0700) and tightens our own directory if an
// earlier version or the user left it readable by others.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("could not create cache directory %s: %w", dir, err)
	}
	if filepath.Base(dir) != privateDirName {
		return nil
	}
	return tighten(dir)
}

// tighten makes dir 0700 when it is readable or writable by others.
func tighten(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("could not inspect cache directory %s: %w", dir, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("could not restrict cache directory %s: %w", dir, err)
		}
	}
	return nil
}

// writeAtomic replaces path with data (mode 0600) so that a process killed
// at any point leaves either the old or the new file.
func writeAtomic(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("could not write cache: %w", err)
	}
	return nil
}

// readPrivate reads a secret file and tightens its mode when it is readable
// by others (aws-iam-authenticator refuses such files; so should we leave them).
// It reads in one call sized by the file's length: this is the hit's read.
func readPrivate(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if st, err := f.Stat(); err == nil {
		if st.Mode().Perm()&0o077 != 0 {
			_ = f.Chmod(0o600) // best effort: a read must not fail over it
		}
		size = int(st.Size())
	}
	// One byte more than the size, so that a file that grew since the stat
	// is still read whole (ReadAll grows the buffer) and EOF comes at once.
	buf := make([]byte, 0, size+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
