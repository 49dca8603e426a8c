package filestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

func rec(key string, expires time.Time) record.Record {
	return record.Record{Key: key, Label: "alice @ https://k8s", Expires: expires, Value: []byte(`{"gen":"g","status":{"token":"t"}}`)}
}

func TestFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kube-credential-cache", "cache.json")
	f := NewFile(path)
	if _, err := f.Get("k1"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Get on no file: %v, want ErrNotExist", err)
	}
	if recs, err := f.List(); err != nil || len(recs) != 0 {
		t.Fatalf("List on no file: %v %v", recs, err)
	}
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	for _, k := range []string{"k1", "k2"} {
		if err := f.Put(rec(k, exp)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.Get("k1")
	if err != nil || got.Label != "alice @ https://k8s" || !got.Expires.Equal(exp) || string(got.Value) != `{"gen":"g","status":{"token":"t"}}` {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if err := f.Delete("k1", "absent"); err != nil {
		t.Fatal(err)
	}
	recs, err := f.List()
	if err != nil || len(recs) != 1 || recs[0].Key != "k2" {
		t.Fatalf("List after Delete = %+v, %v", recs, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the configured cache file itself was written: %v", err)
	}
}

// One file per key, named by the key: what a hit reads is one small file.
func TestFileOneFilePerKey(t *testing.T) {
	f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
	for i := range 3 {
		if err := f.Put(rec(fmt.Sprintf("key%d", i), time.Now().Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	names, err := filepath.Glob(filepath.Join(f.Dir, "key*"))
	if err != nil || len(names) != 3 {
		t.Fatalf("entry files %v, %v; want 3", names, err)
	}
	if f.Dir != filepath.Join(f.Path+".d", "entries") {
		t.Errorf("entries in %s", f.Dir)
	}
}

func TestFileRejectsKeysThatAreNotNames(t *testing.T) {
	f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
	for _, k := range []string{"", "../x", "a/b", ".hidden", "a.b", strings.Repeat("a", 129)} {
		if err := f.Put(rec(k, time.Now().Add(time.Hour))); err == nil {
			t.Errorf("Put(%q) succeeded", k)
		}
		if _, err := f.Get(k); err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Get(%q) = %v, want an invalid-key error", k, err)
		}
	}
}

func TestFileModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kube-credential-cache")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cache.json")
	f := NewFile(path)
	if err := f.Put(rec("k", time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	entry := filepath.Join(f.Dir, "k")
	assertMode(t, dir, 0o700)
	assertMode(t, f.Dir, 0o700)
	assertMode(t, StateDir(path), 0o700)
	assertMode(t, entry, 0o600)

	if err := os.Chmod(entry, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get("k"); err != nil {
		t.Fatal(err)
	}
	assertMode(t, entry, 0o600)

	if err := os.Chmod(f.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.Put(rec("k2", time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	assertMode(t, f.Dir, 0o700)
}

func TestFileLeavesForeignDirectoryMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := NewFile(filepath.Join(dir, "my-cache.json")).Put(rec("k", time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o755)
}

func assertMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s mode %o, want %o", filepath.Base(path), got, want)
	}
}

func TestFilePrunesExpiredHourly(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
	f.now = func() time.Time { return now }
	exists := func(key string) bool {
		_, err := os.Stat(filepath.Join(f.Dir, key))
		return err == nil
	}
	if err := f.Put(rec("old", now.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute) // "old" has expired
	if err := f.Put(rec("new", now.Add(3*time.Hour))); err != nil {
		t.Fatal(err)
	}
	if !exists("old") {
		t.Fatal("a store swept the directory again within the hour: stores would cost O(entries)")
	}
	now = now.Add(pruneEvery)
	if err := f.Put(rec("newer", now.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if exists("old") {
		t.Error("expired entry kept after a sweep")
	}
	if !exists("new") || !exists("newer") {
		t.Error("a live entry was pruned")
	}
}

func TestFileCorruptEntry(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":   "\x00\x01 not an entry",
		"truncated": "kcc1 2030-01-01T00:00:00Z\nlab",
		"empty":     "",
		"old JSON":  `{"version":1,"entries":{}}`,
	} {
		t.Run(name, func(t *testing.T) {
			f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
			if err := os.MkdirAll(f.Dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(f.Dir, "k"), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Get("k"); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Get = %v, want ErrCorrupt", err)
			}
			if recs, err := f.List(); err != nil || len(recs) != 1 || recs[0].Key != "k" {
				t.Fatalf("List = %+v, %v; want the unreadable entry by its key", recs, err)
			}
			if err := f.Put(rec("k", time.Now().Add(time.Hour))); err != nil {
				t.Fatalf("Put over a corrupt entry: %v", err)
			}
			if _, err := f.Get("k"); err != nil {
				t.Fatalf("corrupt entry not replaced: %v", err)
			}
		})
	}
}

func TestFileConcurrentWritersKeepEveryKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.json")
	const writers = 32
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Go(func() {
			errs <- NewFile(path).Put(rec(fmt.Sprintf("key-%02d", i), time.Now().Add(time.Hour)))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	recs, err := NewFile(path).List()
	if err != nil || len(recs) != writers {
		t.Fatalf("List = %d records, %v; want %d", len(recs), err, writers)
	}
	leftovers, _ := filepath.Glob(filepath.Join(EntriesDir(path), ".*.tmp-*"))
	if len(leftovers) != 0 {
		t.Errorf("temp files left behind: %v", leftovers)
	}
}

func TestFileUnwritableDirectory(t *testing.T) {
	// Root ignores permission bits, so make the parent a regular file.
	parent := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(parent, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := NewFile(filepath.Join(parent, "cache.json")).Put(rec("k", time.Now().Add(time.Hour)))
	if err == nil {
		t.Fatal("Put into an impossible directory succeeded")
	}
}

func TestFileRemovesStaleTemps(t *testing.T) {
	f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
	if err := os.MkdirAll(f.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(f.Dir, ".k.tmp-123")
	young := filepath.Join(f.Dir, ".k.tmp-456")
	for _, p := range []string{stale, young} {
		if err := os.WriteFile(p, []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if err := f.Put(rec("k", time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file kept: %v", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("young temp file (another writer's) removed: %v", err)
	}
}

// A sweep that judged an entry expired must not delete the fresh entry a
// writer put in its place a moment later.
func TestPruneKeepsAnEntryReplacedMeanwhile(t *testing.T) {
	now := time.Now()
	f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
	if err := f.ensureDirs(); err != nil {
		t.Fatal(err)
	}
	if err := privatefile.WriteFile(filepath.Join(f.Dir, "k"), blob.Encode(rec("k", now.Add(-time.Minute)))); err != nil {
		t.Fatal(err)
	}
	fresh := rec("k", now.Add(time.Hour))
	fresh.Label = "fresh"
	// What removeIfExpired read is the expired entry; replace it now, as a
	// concurrent writer would between that read and the removal.
	data, err := readPrivate(filepath.Join(f.Dir, "k"))
	if err != nil {
		t.Fatal(err)
	}
	if err := privatefile.WriteFile(filepath.Join(f.Dir, "k"), blob.Encode(fresh)); err != nil {
		t.Fatal(err)
	}
	f.removeAside("k", data)
	got, err := f.Get("k")
	if err != nil || got.Label != "fresh" {
		t.Fatalf("Get after the sweep = %+v, %v; want the fresh entry", got, err)
	}
	if left, _ := filepath.Glob(filepath.Join(f.Dir, ".*")); len(left) != 0 {
		t.Errorf("files left aside: %v", left)
	}

	// And what was judged is removed when nobody replaced it.
	data, _ = readPrivate(filepath.Join(f.Dir, "k"))
	f.removeAside("k", data)
	if _, err := f.Get("k"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Get after removing the judged entry = %v", err)
	}
}
