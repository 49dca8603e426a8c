package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/atomicfile"
	"github.com/IvMisticos/kube-credential-cache/internal/filelock"
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
	data, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("could not read config file %s: %w", f.Path, err)
	}
	s, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", f.Path, err)
	}
	return s, nil
}

// Update changes the file under a lock on "<path>.lock" and replaces it
// atomically (0600, in a 0700 directory); when change fails nothing is
// written.
func (f *File) Update(change func(*Settings) error) error {
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("could not create %s: %w", dir, err)
	}
	timeout := f.LockTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	unlock, err := filelock.Lock(f.Path+".lock", timeout)
	if err != nil {
		return err
	}
	defer unlock()
	s, err := f.Load()
	if err != nil {
		return err
	}
	if err := change(s); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(f.Path, s.Marshal(), 0o600); err != nil {
		return fmt.Errorf("could not write config file: %w", err)
	}
	return nil
}
