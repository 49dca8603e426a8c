package privatefile

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/IvMisticos/kube-credential-cache/internal/owner"
)

// DirName is the directory name of the default cache location. Only a
// directory of that name is tightened to 0700: a user who points the cache
// file into a shared directory must not have that directory's mode changed.
const DirName = "kube-credential-cache"

// EnsureDir creates dir (0700) and tightens it if it is our own (DirName)
// and an earlier version or the user left it readable by others.
func EnsureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("could not create cache directory %s: %w", dir, err)
	}
	if filepath.Base(dir) != DirName {
		return nil
	}
	return TightenDir(dir)
}

// TightenDir makes dir 0700 when it is readable or writable by others, and
// refuses it when it is not ours: as root, Chmod would change another
// user's directory rather than fail.
func TightenDir(dir string) error {
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
