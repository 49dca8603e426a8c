//go:build unix

package filestore

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The file store neither reads nor writes an entry directory others may
// write to, and never reads (or chmods) what a link in it points at.
func TestFileRefusesWhatIsNotOurs(t *testing.T) {
	t.Run("group-writable entry directory", func(t *testing.T) {
		f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
		if err := f.Put(rec("k1", time.Now().Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(f.Dir, 0o770); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Get("k1"); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("Get = %v, want fs.ErrPermission", err)
		}
		if err := f.Put(rec("k2", time.Now().Add(time.Hour))); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("Put = %v, want fs.ErrPermission", err)
		}
		if _, err := os.Lstat(filepath.Join(f.Dir, "k2")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Put wrote into it: %v", err)
		}
		if _, err := f.List(); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("List = %v, want fs.ErrPermission", err)
		}
		if err := f.Delete("k1"); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("Delete = %v, want fs.ErrPermission", err)
		}
	})
	t.Run("entry linked to a file elsewhere", func(t *testing.T) {
		dir := t.TempDir()
		f := NewFile(filepath.Join(dir, "cache.json"))
		if err := f.Put(rec("k1", time.Now().Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, "elsewhere")
		if err := os.Rename(filepath.Join(f.Dir, "k1"), target); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(target, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(f.Dir, "k1")); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Get("k1"); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("Get = %v, want fs.ErrPermission", err)
		}
		if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o644 {
			t.Errorf("the link's target: %v, %v; want its mode 0644 left alone", st.Mode(), err)
		}
	})
}
