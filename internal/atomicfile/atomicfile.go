// Package atomicfile replaces files so that a reader, or a crash, sees the old
// content or the new one and never a part: temp file in the same directory,
// fsync, rename, fsync of the directory.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// TempPattern is the name pattern of the temp files WriteFile creates next to
// path; a writer killed between create and rename leaves one behind.
func TempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// WriteFile replaces path with data, giving the new file mode perm.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return WriteFileWith(path, data, perm, nil)
}

// WriteFileWith is WriteFile with a hook that runs on the temp file before it
// is synced and renamed (to give it the replaced file's owner, say).
func WriteFileWith(path string, data []byte, perm os.FileMode, prepare func(*os.File) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, TempPattern(path))
	if err != nil {
		return fmt.Errorf("could not create a temporary file next to %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp already uses 0600; Chmod sets the mode asked for whatever
	// the umask (on Windows it only toggles the read-only bit).
	if err = tmp.Chmod(perm); err != nil && !isUnsupported(err) {
		return fmt.Errorf("could not set the mode of %s: %w", tmp.Name(), err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("could not write %s: %w", tmp.Name(), err)
	}
	if prepare != nil {
		if err = prepare(tmp); err != nil {
			return err
		}
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("could not sync %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("could not close %s: %w", tmp.Name(), err)
	}
	if err = replace(tmp.Name(), path); err != nil {
		return fmt.Errorf("could not replace %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}
