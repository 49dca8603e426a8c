//go:build !unix

package privatefile

import (
	"io"
	"os"
)

// ReadFile reads a secret file and tightens its mode when it is readable
// by others (on Windows, Chmod only toggles the read-only bit).
func ReadFile(path string) ([]byte, error) {
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
