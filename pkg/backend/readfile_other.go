//go:build !unix

package backend

import (
	"io"
	"os"
)

// readPrivate reads a secret file and tightens its mode when it is readable
// by others (on Windows, Chmod only toggles the read-only bit).
func readPrivate(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
		_ = f.Chmod(0o600)
	}
	return io.ReadAll(f)
}
