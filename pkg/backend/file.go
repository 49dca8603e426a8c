// Package backend holds the stores that meet cache.Store: a JSON file, the
// operating system's secret store, and the choice between them.
package backend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/filelock"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// ErrCorrupt marks a cache file that exists but cannot be decoded.
var ErrCorrupt = errors.New("cache file is corrupt")

// fileFormat is the on-disk layout of the cache file. The version lets a
// future layout be told apart instead of being reported as corruption.
type fileFormat struct {
	Version int                  `json:"version"`
	Entries map[string]fileEntry `json:"entries"`
}

type fileEntry struct {
	Label   string          `json:"label,omitempty"`
	Expires time.Time       `json:"expires"`
	Value   json.RawMessage `json:"value"`
}

const fileVersion = 1

// File keeps every record in one JSON file. Readers never lock: writers
// replace the file by rename, so a reader sees a whole old or a whole new
// file. Writers serialise their read-modify-write on a sibling lock file so
// that concurrent processes storing different keys never lose each other.
type File struct {
	Path        string
	LockTimeout time.Duration
	now         func() time.Time
}

// NewFile returns the store for the JSON file at path.
func NewFile(path string) *File {
	return &File{Path: path, LockTimeout: 10 * time.Second, now: time.Now}
}

// Get returns the record for key, an error wrapping fs.ErrNotExist when there
// is none, or one wrapping ErrCorrupt when the file cannot be decoded.
func (f *File) Get(key string) (record.Record, error) {
	doc, err := f.read()
	if err != nil {
		return record.Record{}, err
	}
	e, ok := doc.Entries[key]
	if !ok {
		return record.Record{}, fmt.Errorf("no entry %.12s: %w", key, fs.ErrNotExist)
	}
	return record.Record{Key: key, Label: e.Label, Expires: e.Expires, Value: e.Value}, nil
}

// List returns every record, ordered by key.
func (f *File) List() ([]record.Record, error) {
	doc, err := f.read()
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	recs := make([]record.Record, 0, len(doc.Entries))
	for k, e := range doc.Entries {
		recs = append(recs, record.Record{Key: k, Label: e.Label, Expires: e.Expires, Value: e.Value})
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Key < recs[j].Key })
	return recs, nil
}

// Put stores rec and drops entries that have expired.
func (f *File) Put(rec record.Record) error {
	if !json.Valid(rec.Value) {
		return fmt.Errorf("record %.12s is not JSON", rec.Key)
	}
	return f.update(func(entries map[string]fileEntry) {
		entries[rec.Key] = fileEntry{Label: rec.Label, Expires: rec.Expires.UTC(), Value: compact(rec.Value)}
	})
}

// Delete removes the given keys; keys that are absent are ignored.
func (f *File) Delete(keys ...string) error {
	return f.update(func(entries map[string]fileEntry) {
		for _, k := range keys {
			delete(entries, k)
		}
	})
}

func (f *File) read() (fileFormat, error) {
	data, err := readPrivate(f.Path)
	if err != nil {
		return fileFormat{}, fmt.Errorf("could not read cache %s: %w", f.Path, err)
	}
	return decodeFile(data)
}

// decodeFile parses the cache file. It is the parser of a file users can edit
// by hand, so it must reject rather than panic on any input (see the fuzz test).
func decodeFile(data []byte) (fileFormat, error) {
	var doc fileFormat
	if err := json.Unmarshal(data, &doc); err != nil {
		return fileFormat{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if doc.Version != fileVersion {
		return fileFormat{}, fmt.Errorf("%w: unknown version %d", ErrCorrupt, doc.Version)
	}
	if doc.Entries == nil {
		doc.Entries = map[string]fileEntry{}
	}
	for k, e := range doc.Entries {
		// Unmarshal has validated the whole document, so a present Value is
		// valid JSON; only an absent or null one is left to reject.
		if len(e.Value) == 0 || string(e.Value) == "null" {
			return fileFormat{}, fmt.Errorf("%w: entry %.12s has no value", ErrCorrupt, k)
		}
	}
	return doc, nil
}

// update runs change on the current entries under the file lock and writes
// the result atomically. A corrupt file is replaced rather than kept: it
// holds nothing that the plugin cannot give again.
func (f *File) update(change func(map[string]fileEntry)) error {
	if err := ensurePrivateDir(filepath.Dir(f.Path)); err != nil {
		return err
	}
	unlock, err := filelock.Lock(f.Path+".lock", f.LockTimeout)
	if err != nil {
		return err
	}
	defer unlock()

	doc, err := f.read()
	if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, ErrCorrupt) {
		return err
	}
	if doc.Entries == nil {
		doc = fileFormat{Entries: map[string]fileEntry{}}
	}
	doc.Version = fileVersion
	now := f.now()
	for k, e := range doc.Entries {
		if !e.Expires.After(now) {
			delete(doc.Entries, k)
		}
	}
	change(doc.Entries)
	removeStaleTemps(f.Path, now)
	data, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("could not encode cache: %w", err)
	}
	return writeAtomic(f.Path, append(data, '\n'))
}

func compact(v []byte) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return v
	}
	return buf.Bytes()
}
