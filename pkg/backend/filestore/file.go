// Package filestore is the file backend: one private file per cache entry,
// and the migration from the single-file layout of earlier versions.
package filestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/owner"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// ErrCorrupt marks cache data that exists but cannot be decoded.
var ErrCorrupt = errors.New("cache file is corrupt")

// File keeps each record in a file of its own, named by its key, in a
// private directory beside the configured cache file (EntriesDir): a hit
// reads one small file and a store writes one, whatever the number of
// cached identities.
//
// Readers never lock, since every entry is replaced by rename; writers of
// one key are serialised by the cache's per-key lock, and writers of
// different keys touch different files.
//
// The configured file may sit in a directory other users can write to, so
// only directories and entries that are the user's own and writable by
// nobody else are used, never through a symbolic link (checkDirs,
// readPrivate); anything else is an error matching fs.ErrPermission, and the
// proxy passes the plugin's credential through uncached.
type File struct {
	// Path is the configured cache file (KUBE_CREDENTIAL_CACHE_FILE). In this
	// layout it is no longer written: a file found there is the single-file
	// cache of earlier versions, migrated into Dir once (see migrate).
	Path string
	// Dir holds the entry files: EntriesDir(Path).
	Dir string

	now        func() time.Time
	pruneEvery time.Duration
}

// NewFile returns the store whose configured cache file is path.
func NewFile(path string) *File {
	return &File{Path: path, Dir: EntriesDir(path), now: time.Now, pruneEvery: pruneEvery}
}

// Get returns the record for key, an error wrapping fs.ErrNotExist when there
// is none, one wrapping ErrCorrupt when its file cannot be decoded (or is
// too large), or one wrapping fs.ErrPermission when the entry or its
// directories are not this user's own (see checkDirs): nothing is read then.
func (f *File) Get(key string) (record.Record, error) {
	path, err := f.entryPath(key)
	if err != nil {
		return record.Record{}, err
	}
	if err := f.checkDirs(); err != nil {
		return record.Record{}, err
	}
	data, err := readPrivate(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Only a miss looks for a cache file of the old layout: a hit must
		// not pay for a migration that happens once.
		if merr := f.migrate(); merr != nil {
			return record.Record{}, merr
		}
		data, err = readPrivate(path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return record.Record{}, fmt.Errorf("no entry %.12s: %w", key, fs.ErrNotExist)
	}
	if errors.Is(err, fs.ErrPermission) {
		return record.Record{}, fmt.Errorf("refusing cache entry: %w", err)
	}
	if err != nil {
		return record.Record{}, fmt.Errorf("could not read cache entry %s: %w", path, err)
	}
	rec, err := blob.Decode(key, data)
	if err != nil {
		return record.Record{}, fmt.Errorf("%w: entry %.12s: %v", ErrCorrupt, key, err)
	}
	return rec, nil
}

// Put stores rec, replacing the entry of its key, and now and then drops
// entries that have expired.
func (f *File) Put(rec record.Record) error {
	path, err := f.entryPath(rec.Key)
	if err != nil {
		return err
	}
	if !json.Valid(rec.Value) {
		return fmt.Errorf("record %.12s is not JSON", rec.Key)
	}
	if err := f.ensureDirs(); err != nil {
		return err
	}
	if err := privatefile.WriteFile(path, blob.Encode(rec)); err != nil {
		return err
	}
	f.maybePrune()
	return nil
}

// Delete removes the given keys; keys that are absent are ignored.
func (f *File) Delete(keys ...string) error {
	if err := f.checkDirs(); err != nil {
		return err
	}
	for _, k := range keys {
		path, err := f.entryPath(k)
		if err != nil {
			return err
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("could not delete cache entry %.12s: %w", k, err)
		}
	}
	return nil
}

// List returns every record, ordered by key. An entry file that cannot be
// decoded is listed by its key alone, so that it can be found and cleared.
func (f *File) List() ([]record.Record, error) {
	if err := f.checkDirs(); err != nil {
		return nil, err
	}
	if err := f.migrate(); err != nil && !errors.Is(err, ErrCorrupt) {
		return nil, err
	}
	ents, err := os.ReadDir(f.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("could not list cache entries in %s: %w", f.Dir, err)
	}
	recs := make([]record.Record, 0, len(ents))
	for _, de := range ents {
		name := de.Name()
		if !privatefile.ValidName(name) || !de.Type().IsRegular() {
			continue // temp files, the prune stamp
		}
		data, err := readPrivate(filepath.Join(f.Dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since ReadDir
		}
		rec, derr := blob.Decode(name, data)
		if err != nil || derr != nil {
			rec = record.Record{Key: name, Label: "(unreadable)"}
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// entryPath is the file of key. Keys are hex digests; anything that could
// leave the directory is refused rather than trusted.
func (f *File) entryPath(key string) (string, error) {
	if !privatefile.ValidName(key) {
		return "", fmt.Errorf("invalid cache key %q", key)
	}
	return filepath.Join(f.Dir, key), nil
}

// Check reports whether the store's directories may be used (see
// checkDirs), for --info: nil, or why they are refused.
func (f *File) Check() error { return f.checkDirs() }

// checkDirs refuses the state directory and the entry directory unless they
// are this user's own and writable by nobody else (owner.CheckDir): in a
// shared directory another user could otherwise plant entries, or links to
// files elsewhere, that kubectl would be given. A directory not there yet
// passes; ensureDirs creates it.
func (f *File) checkDirs() error {
	for _, dir := range []string{filepath.Dir(f.Dir), f.Dir} {
		if err := owner.CheckDir(dir); err != nil {
			return fmt.Errorf("refusing cache directory: %w", err)
		}
	}
	return nil
}

// ensureDirs creates the entry directory (0700) and the directories above it
// up to the configured file's, tightening the ones that are ours.
func (f *File) ensureDirs() error {
	if err := privatefile.EnsureDir(filepath.Dir(f.Path)); err != nil {
		return err
	}
	if err := f.checkDirs(); err != nil {
		return err
	}
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		return fmt.Errorf("could not create cache directory %s: %w", f.Dir, err)
	}
	// The entry directory holds secrets and is always kcc-cache's own, so a
	// mode that lets others read it (a restored backup, a umask-ignoring
	// tool) is tightened; one that lets others write it was refused above.
	return privatefile.TightenDir(f.Dir)
}
