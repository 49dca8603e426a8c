package backend

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
	"github.com/IvMisticos/kube-credential-cache/internal/owner"
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

// tighten makes dir 0700 when it is readable or writable by others, and
// refuses it when it is not ours: as root, Chmod would change another
// user's directory rather than fail.
func tighten(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("could not inspect cache directory %s: %w", dir, err)
	}
	if !owner.Mine(st) {
		return fmt.Errorf("refusing cache directory: %w", owner.Check(dir, st))
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
