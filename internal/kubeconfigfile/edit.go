package kubeconfigfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/userfile"
)

// maxSize bounds the read of a kubeconfig: thousands of clusters with their
// certificates take a few megabytes; a path to /dev/zero must not take all
// memory.
const maxSize = 64 << 20

// File is one kubeconfig file in an edit.
type File struct {
	// Path is the file as named ($KUBECONFIG entry or argument).
	Path string
	// Exists is false for a file that is not there (Data is then nil).
	Exists bool
	// Data is the content read; what the edit leaves here is written
	// back when it differs (a missing file is created if given content).
	Data []byte

	target string // Path with symlinks followed: the file replaced
	read   []byte
}

// Default is the index of the file kubectl writes new entries and
// current-context to (see DefaultPath).
func Default(files []*File) int {
	exists := make([]bool, len(files))
	for i, f := range files {
		exists[i] = f.Exists
	}
	return defaultIndex(exists)
}

// Edit is EditAll of one file, for a caller that changes bytes: edit gets
// the content (nil when the file does not exist) and returns the new one.
func Edit(path string, lockWait time.Duration, edit func(src []byte) ([]byte, error)) error {
	return EditAll([]string{path}, lockWait, func(files []*File) error {
		out, err := edit(files[0].Data)
		if err != nil {
			return err
		}
		files[0].Data = out
		return nil
	})
}

// EditAll is the kubeconfig edit flow. It locks each file like kubectl
// does (<file>.lock, taken in sorted order, waiting up to lockWait for
// another editor; a missing file whose directory is missing too has nothing
// to lock), reads those that exist, calls edit with them in the order
// given, and writes back atomically each one whose Data changed. A file
// named twice, or by a symlink and its target, is edited once. The locks
// are held from the first read to the last rename, so a kubectl write
// cannot slip in between and be lost; files left unchanged keep their
// bytes and timestamps.
func EditAll(paths []string, lockWait time.Duration, edit func([]*File) error) error {
	files, err := resolveAll(paths)
	if err != nil {
		return err
	}
	unlock, err := lockSorted(files, lockWait)
	if err != nil {
		return err
	}
	defer unlock()
	for _, f := range files {
		data, err := userfile.Read(f.target, maxSize)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("could not read kubeconfig %s: %w", f.Path, err)
		}
		f.Exists, f.Data, f.read = true, bytes.Clone(data), data
	}
	if err := edit(files); err != nil {
		return err
	}
	for _, f := range files {
		if f.Data == nil && !f.Exists || f.Exists && bytes.Equal(f.Data, f.read) {
			continue // nothing to do; leave the file and its timestamps alone
		}
		if err := userfile.Write(f.target, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// resolveAll follows each path's symlinks (a missing file is its own
// target) and drops a file already named.
func resolveAll(paths []string) ([]*File, error) {
	var files []*File
	seen := map[string]bool{}
	for _, p := range paths {
		target, err := Resolve(p)
		if errors.Is(err, fs.ErrNotExist) {
			target, err = p, nil
		}
		if err != nil {
			return nil, err
		}
		key := target
		if abs, err := filepath.Abs(target); err == nil {
			key = abs
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		files = append(files, &File{Path: p, target: target})
	}
	return files, nil
}

// lockSorted locks the files in the order of their paths, as kubectl's
// ModifyConfig does, so two editors of the same files never each hold one
// the other waits for.
func lockSorted(files []*File, wait time.Duration) (unlock func(), err error) {
	order := append([]*File(nil), files...)
	sort.Slice(order, func(i, j int) bool { return order[i].Path < order[j].Path })
	var unlocks []func()
	unlock = func() {
		for i := len(unlocks) - 1; i >= 0; i-- {
			unlocks[i]()
		}
	}
	for _, f := range order {
		if _, err := os.Stat(filepath.Dir(f.target)); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		u, err := LockWithin(f.Path, f.target, wait)
		if err != nil {
			unlock()
			return nil, err
		}
		unlocks = append(unlocks, u)
	}
	return unlock, nil
}
