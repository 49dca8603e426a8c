package settings

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

// File is the defaults file on disk.
type File struct {
	Path        string
	LockTimeout time.Duration
}

// DefaultPath is kube-credential-cache/connect/config.yaml in the user's
// config directory.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user config directory: %w", err)
	}
	return filepath.Join(dir, "kube-credential-cache", "connect", "config.yaml"), nil
}

// Load reads the file; a missing file means no defaults. A file that does
// not parse is an error (unlike the history, it is the user's own writing
// and is never replaced behind their back).
func (f *File) Load() (*Settings, error) {
	data, err := userfile.Read(f.Path, maxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("could not read config file %s: %w", f.Path, err)
	}
	return f.parse(data)
}

func (f *File) parse(data []byte) (*Settings, error) {
	s, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", f.Path, err)
	}
	return s, nil
}

// Update changes the file under a lock on "<path>.lock" and replaces it
// atomically (a new file 0600 in a 0700 directory, an existing one keeps
// its mode and owner); when change fails, or changes nothing, nothing is
// written.
func (f *File) Update(change func(*Settings) error) error {
	return lockedfile.Update(f.Path, lockedfile.Options{Limit: maxFileSize, LockWait: f.LockTimeout}, func(old []byte) ([]byte, error) {
		s, err := f.parse(old)
		if err != nil {
			return nil, err
		}
		if err := change(s); err != nil {
			return nil, err
		}
		return s.Marshal(), nil
	})
}
