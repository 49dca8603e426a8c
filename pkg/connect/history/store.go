package history

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/lockedfile"
	"github.com/IvMisticos/kube-credential-cache/internal/userfile"
)

// DefaultLockTimeout bounds the wait for another kcc-connect's update, which
// holds the lock for a read and a write of a small file.
const DefaultLockTimeout = 10 * time.Second

// Store is the history file on disk. Every change holds a lock on the
// sibling "<path>.lock" from the read to the rename, so several kcc-connect
// running at once each add their entries and none is lost; readers need no
// lock because the file is only ever replaced whole.
type Store struct {
	Path string
	// Limit caps the entries kept; 0 means DefaultLimit.
	Limit int
	// Now is the clock for LastUsed; nil means time.Now.
	Now func() time.Time
	// Warn hears about a history file that is not valid and is being
	// replaced; nil drops the warning.
	Warn        func(error)
	LockTimeout time.Duration
}

// DefaultPath is kube-credential-cache/connect/history.yaml in the user's
// config directory: the history is state the user may want to keep and
// edit (aliases), not a cache to be cleared.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user config directory: %w", err)
	}
	return filepath.Join(dir, "kube-credential-cache", "connect", "history.yaml"), nil
}

// Load reads the history. A missing file is an empty history; a file that
// is not valid is reported to Warn once and read as empty, and the next
// change replaces it. A file over the size limit is an error, not replaced:
// it is not one kcc-connect wrote.
func (s *Store) Load() (*File, error) {
	data, err := userfile.Read(s.Path, maxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Entries: []Entry{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("could not read history %s: %w", s.Path, err)
	}
	return s.parse(data), nil
}

// parse is Parse with Load's leniency: a file that is not valid is
// reported and read as empty.
func (s *Store) parse(data []byte) *File {
	f, err := Parse(data)
	if err != nil {
		if s.Warn != nil {
			s.Warn(fmt.Errorf("history %s is not valid and will be replaced: %v", s.Path, err))
		}
		return &File{Entries: []Entry{}}
	}
	return f
}

// Update runs change on the history under the lock and writes the result,
// trimmed to Limit. When change fails, or changes nothing, nothing is
// written.
func (s *Store) Update(change func(*File) error) error {
	if s.Limit < 0 {
		return fmt.Errorf("history limit %d is negative", s.Limit)
	}
	wait := s.LockTimeout
	if wait == 0 {
		wait = DefaultLockTimeout
	}
	o := lockedfile.Options{Limit: maxFileSize, LockWait: wait}
	return lockedfile.Update(s.Path, o, func(old []byte) ([]byte, error) {
		f := s.parse(old)
		if err := change(f); err != nil {
			return nil, err
		}
		f.Trim(s.Limit)
		data, err := f.Marshal()
		if err != nil {
			return nil, fmt.Errorf("could not encode history: %w", err)
		}
		return data, nil
	})
}

// Record adds or refreshes the entry e (its ID and LastUsed are set here)
// and, with makeCurrent, notes that its context is now the current one. It
// returns the stored entry.
func (s *Store) Record(e Entry, makeCurrent bool) (Entry, error) {
	if e.ClusterID == "" {
		return Entry{}, errors.New("a history entry needs a cluster id")
	}
	if e.Alias != "" {
		if err := ValidateAlias(e.Alias); err != nil {
			return Entry{}, err
		}
	}
	var stored Entry
	err := s.Update(func(f *File) error {
		for _, o := range f.Entries {
			if e.Alias != "" && o.ID == e.Alias && o.key() != e.key() {
				return fmt.Errorf("alias %s is the id of another history entry; choose another name", e.Alias)
			}
		}
		stored = f.Upsert(e, s.now())
		if makeCurrent {
			f.MakeCurrent(stored.ID)
		}
		return nil
	})
	return stored, err
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
