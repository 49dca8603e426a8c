//go:build unix

package filelock

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A lock file is never opened through a symbolic link, nor used when it is
// not ours: in a shared directory either would be another user's plant (a
// link has us create or lock a file elsewhere; their own file they can hold
// for ever).
func TestLockRefusesWhatIsNotOurs(t *testing.T) {
	tests := []struct {
		name    string
		root    bool
		plant   func(t *testing.T, path, target string)
		problem string
	}{
		{name: "symbolic link", problem: "is a symbolic link", plant: func(t *testing.T, path, target string) {
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "another user's file", root: true, problem: "is owned by uid 65534", plant: func(t *testing.T, path, _ string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(path, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "writable by others", problem: "is writable by group or others", plant: func(t *testing.T, path, _ string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o666); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.root && os.Geteuid() != 0 {
				t.Skip("giving a file to another uid needs root")
			}
			dir := t.TempDir()
			path, target := filepath.Join(dir, "k.lock"), filepath.Join(dir, "target")
			tt.plant(t, path, target)
			unlock, err := Lock(path, 0)
			if err == nil {
				unlock()
				t.Fatal("Lock took it")
			}
			if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("Lock = %v, want %q matching fs.ErrPermission", err, tt.problem)
			}
			if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the link's target was created: %v", err)
			}
			if Prune(dir, ".lock") != 0 {
				t.Error("Prune removed it")
			}
			if _, err := os.Lstat(path); err != nil {
				t.Errorf("the plant is gone: %v", err)
			}
		})
	}
}
