//go:build !unix

package privatefile

import (
	"io"
	"os"

	"github.com/IvMisticos/kube-credential-cache/internal/owner"
)

// ReadFile reads a secret file of at most max bytes, refusing a
// symbolic link, and tightens its mode when it is readable by others (on
// Windows, Chmod only toggles the read-only bit). There are no owner bits
// to check here.
func ReadFile(path string, max int) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if err := owner.Check(path, fi); err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &owner.Error{Path: path, Problem: "is not a regular file"}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
		_ = f.Chmod(0o600)
	}
	data, err := io.ReadAll(io.LimitReader(f, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > max {
		return nil, tooLarge(path, max)
	}
	return data, nil
}
