package filestore

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Files whose size kcc-cache does not control are read through a limit: an
// entry or an old cache file too large to be ours is corrupt, not read whole.
func TestFileReadsThroughALimit(t *testing.T) {
	t.Run("entry", func(t *testing.T) {
		f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
		if err := f.Put(rec("big", time.Now().Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(f.Dir, "big")
		if err := os.Truncate(path, maxEntrySize+1); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Get("big"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "larger than 2097152 bytes") {
			t.Fatalf("Get of a %d-byte entry = %v, want ErrCorrupt naming the limit", maxEntrySize+1, err)
		}
		if err := f.Put(rec("big", time.Now().Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Get("big"); err != nil {
			t.Fatalf("Get after the entry was replaced: %v", err)
		}
	})
	t.Run("old cache file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cache.json")
		writeLegacy(t, path, legacyDoc(t, map[string]time.Time{"aaa": time.Now().Add(time.Hour)}))
		if err := os.Truncate(path, maxLegacySize+1); err != nil {
			t.Fatal(err)
		}
		f := NewFile(path)
		if _, err := f.Get("aaa"); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "larger than 16777216 bytes; removed the old cache file") {
			t.Fatalf("Get with a %d-byte old cache file = %v, want ErrCorrupt, removed", maxLegacySize+1, err)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the old cache file is still there: %v", err)
		}
	})
}
