// Package kubeconfigfile is the one kubeconfig edit flow of this module
// (kcc-injector, kcc-connect, every provider): which files kubectl reads
// and which one it writes, kubectl's lock, symlinks, a read, an edit in
// memory, no write when nothing changed, and an atomic write that keeps the
// file's mode and owner (internal/userfile).
package kubeconfigfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/userfile"
)

// Files are the kubeconfig files kubectl reads, in order: the entries of
// $KUBECONFIG (empty ones dropped, each once), else ~/.kube/config.
func Files(getenv func(string) string) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	for _, p := range filepath.SplitList(getenv("KUBECONFIG")) {
		if p != "" && !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	if len(files) > 0 {
		return files, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, fmt.Errorf("no kubeconfig given and no home directory: %w", err)
	}
	return []string{filepath.Join(home, ".kube", "config")}, nil
}

// DefaultPath is the file kubectl writes a new entry and current-context
// to when given none (client-go's PathOptions.GetDefaultFilename): the one
// file of Files, else the first of them that exists, else the last.
func DefaultPath(getenv func(string) string) (string, error) {
	files, err := Files(getenv)
	if err != nil {
		return "", err
	}
	return DefaultOf(files), nil
}

// DefaultOf is the file of files (not empty) that kubectl writes to.
func DefaultOf(files []string) string {
	exists := make([]bool, len(files))
	for i, f := range files {
		_, err := os.Stat(f)
		exists[i] = err == nil
	}
	return files[defaultIndex(exists)]
}

// defaultIndex is GetDefaultFilename over files that do or do not exist.
func defaultIndex(exists []bool) int {
	if len(exists) > 1 {
		for i, ok := range exists {
			if ok {
				return i
			}
		}
	}
	return len(exists) - 1
}

// Resolve follows symlinks, so that an in-place edit replaces the target and
// keeps the link (a dotfiles repository, say) intact.
func Resolve(path string) (string, error) {
	target, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return target, nil
}

// Lock takes kubectl's <file>.lock for the path as given and for the
// symlink target, since kubectl locks whichever name it was given. Like
// kubectl it creates the lock file with O_CREATE|O_EXCL and does not wait:
// a lock held by someone else is an error that says so.
func Lock(path, target string) (unlock func(), err error) {
	return LockWithin(path, target, 0)
}

// LockWithin is Lock that tries again for up to wait while someone else
// holds the lock: an editor holds it for milliseconds, so two tools run at
// once both get their turn. A lock left by a crash still fails, after wait.
func LockWithin(path, target string, wait time.Duration) (unlock func(), err error) {
	deadline := time.Now().Add(wait)
	for {
		unlock, err := lockAll(path, target)
		var held *heldError
		if !errors.As(err, &held) || !time.Now().Before(deadline) {
			return unlock, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// heldError is a lock file that exists.
type heldError struct{ name string }

func (e *heldError) Error() string {
	return e.name + " exists: kubectl (or another kcc tool) is editing the kubeconfig; retry, or remove the lock file if no one is"
}

func lockAll(path, target string) (unlock func(), err error) {
	names := []string{path + ".lock"}
	if target != path {
		names = append(names, target+".lock")
	}
	var unlocks []func()
	unlock = func() {
		for _, u := range unlocks {
			u()
		}
	}
	for _, n := range names {
		u, err := lock(n)
		if err != nil {
			unlock()
			return nil, err
		}
		unlocks = append(unlocks, u)
	}
	return unlock, nil
}

func lock(name string) (func(), error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, &heldError{name}
	}
	if err != nil {
		return nil, fmt.Errorf("could not lock the kubeconfig: %w", err)
	}
	f.Close()
	return func() { os.Remove(name) }, nil
}

// Write replaces target with data atomically, keeping its mode (and owner,
// when root). A file that does not exist yet is created 0600, in a
// directory created 0700 if needed: a kubeconfig holds credentials.
func Write(target string, data []byte) error {
	return userfile.Write(target, data)
}
