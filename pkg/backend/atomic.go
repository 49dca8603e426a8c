package backend

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

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
func readPrivate(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
		_ = f.Chmod(0o600) // best effort: a read must not fail over it
	}
	return io.ReadAll(f)
}

// removeStaleTemps deletes temp files that a writer killed between create
// and rename left behind. Only old ones: a young one may be another
// writer's, which holds the lock only for the rename's sake.
func removeStaleTemps(path string, now time.Time) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), atomicfile.TempPattern(path)))
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil && now.Sub(st.ModTime()) > time.Minute {
			os.Remove(m)
		}
	}
}
