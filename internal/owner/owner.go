// Package owner decides whether a file or directory kcc-cache finds is its
// user's own. A cache file may sit in a shared directory
// (KUBE_CREDENTIAL_CACHE_FILE=/tmp/...), where another user could plant an
// entry, a symbolic link or a lock: what fails these checks is neither read
// nor written.
package owner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Error says why path is not trusted. It matches fs.ErrPermission, so that
// callers treat it like a file they may not use.
type Error struct {
	Path    string
	Problem string // "is a symbolic link", "is owned by uid 65534, not by you (uid 1000)", ...
}

func (e *Error) Error() string { return e.Path + " " + e.Problem }

// Is makes errors.Is(err, fs.ErrPermission) hold.
func (e *Error) Is(target error) bool { return target == fs.ErrPermission }

// Check reports whether fi, the Lstat or Fstat of path, is this user's own:
// not a symbolic link, owned by the effective uid, and writable by nobody
// else (unix; elsewhere only the link is checked).
func Check(path string, fi fs.FileInfo) error {
	if fi.Mode()&fs.ModeSymlink != 0 {
		return &Error{Path: path, Problem: "is a symbolic link"}
	}
	if problem := foreign(fi); problem != "" {
		return &Error{Path: path, Problem: problem}
	}
	return nil
}

// CheckDir checks the directory at path the same way; a directory that does
// not exist (yet) passes, as its creator will be us.
func CheckDir(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("could not inspect %s: %w", path, err)
	}
	if err := Check(path, fi); err != nil {
		return err
	}
	if !fi.IsDir() {
		return &Error{Path: path, Problem: "is not a directory"}
	}
	return nil
}
