package filestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/filelock"
	"github.com/IvMisticos/kube-credential-cache/internal/owner"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// The single-file layout of earlier versions: every entry in one JSON
// document at the configured path, rewritten under path+".lock" on every
// store. It is only read now, to carry its entries over.
type legacyFile struct {
	Version int                    `json:"version"`
	Entries map[string]legacyEntry `json:"entries"`
}

type legacyEntry struct {
	Label   string          `json:"label,omitempty"`
	Expires time.Time       `json:"expires"`
	Value   json.RawMessage `json:"value"`
}

const legacyVersion = 1

// legacyLockTimeout bounds the wait for the old layout's lock, which its
// writers held only for a rewrite of the file.
const legacyLockTimeout = 10 * time.Second

// decodeLegacy parses a cache file of the old layout. Users can edit that
// file by hand, so it must reject rather than panic on any input (see the
// fuzz test).
func decodeLegacy(data []byte) (legacyFile, error) {
	var doc legacyFile
	if err := json.Unmarshal(data, &doc); err != nil {
		return legacyFile{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if doc.Version != legacyVersion {
		return legacyFile{}, fmt.Errorf("%w: unknown version %d", ErrCorrupt, doc.Version)
	}
	if doc.Entries == nil {
		doc.Entries = map[string]legacyEntry{}
	}
	for k, e := range doc.Entries {
		// Unmarshal has validated the whole document, so a present Value is
		// valid JSON; only an absent or null one is left to reject.
		if len(e.Value) == 0 || string(e.Value) == "null" {
			return legacyFile{}, fmt.Errorf("%w: entry %.12s has no value", ErrCorrupt, k)
		}
	}
	return doc, nil
}

// migrate moves the live entries of a cache file of the old layout into the
// entry directory and removes the file, so that an upgrade keeps every cached
// credential and leaves nothing behind. It runs on a miss and on --list, never
// on a hit, and costs one failed lstat once the file is gone.
//
// It holds the old layout's lock, as that layout's writers did: an older
// kcc-cache still running during the upgrade cannot rewrite the file while it
// is carried over, and of several new processes that find it at once, the
// first migrates and the others find it gone. A corrupt old file is removed
// and reported once (as ErrCorrupt) by the process that removed it.
//
// The file may sit in a shared directory, so one that is not ours (or its
// lock) is refused with an error wrapping fs.ErrPermission and left alone:
// its entries could be another user's plant.
func (f *File) migrate() error {
	st, err := os.Lstat(f.Path)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	if err := owner.Check(f.Path, st); err != nil {
		return fmt.Errorf("refusing the old cache file (remove it): %w", err)
	}
	unlock, err := filelock.Lock(f.Path+".lock", legacyLockTimeout)
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("refusing the old cache file's lock (remove it): %w", err)
	}
	if err != nil {
		return nil // a stuck writer of the old layout: try again on the next miss
	}
	defer unlock()
	data, err := readPrivateMax(f.Path, maxLegacySize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil // another process migrated it while we waited
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("refusing the old cache file (remove it): %w", err)
	case err != nil && !errors.Is(err, ErrCorrupt):
		return fmt.Errorf("could not read cache %s: %w", f.Path, err)
	}
	doc, derr := legacyFile{}, err // a file too large is removed like a corrupt one
	if derr == nil {
		doc, derr = decodeLegacy(data)
	}
	if derr == nil && len(doc.Entries) > 0 {
		if err := f.ensureDirs(); err != nil {
			return err
		}
		now := f.now()
		for k, e := range doc.Entries {
			path, err := f.entryPath(k)
			if err != nil || !e.Expires.After(now) {
				continue
			}
			if _, err := os.Lstat(path); err == nil {
				continue // an entry of the new layout is newer than anything here
			}
			rec := record.Record{Key: k, Label: e.Label, Expires: e.Expires, Value: e.Value}
			if err := privatefile.WriteFile(path, blob.Encode(rec)); err != nil {
				return err
			}
		}
	}
	if err := os.Remove(f.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("could not remove the old cache file %s: %w", f.Path, err)
	}
	// Whoever waits on this lock file gets it after us, finds no cache file
	// and returns, so removing it cannot let two migrations overlap.
	_ = os.Remove(f.Path + ".lock")
	if derr != nil {
		return fmt.Errorf("%w; removed the old cache file %s", derr, f.Path)
	}
	return nil
}
