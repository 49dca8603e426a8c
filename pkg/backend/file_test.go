package backend

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

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
	assertMode(t, dir, 0o700)
	assertMode(t, path, 0o600)

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get("k"); err != nil {
		t.Fatal(err)
	}
	assertMode(t, path, 0o600)
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

func TestFilePrunesExpired(t *testing.T) {
	f := NewFile(filepath.Join(t.TempDir(), "cache.json"))
	if err := f.Put(rec("old", time.Now().Add(-time.Second))); err != nil {
		t.Fatal(err)
	}
	if err := f.Put(rec("new", time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get("old"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("expired entry kept: %v", err)
	}
}

func TestFileCorrupt(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":        "\x00\x01 not json",
		"truncated":      `{"version":1,"entries":{"k":{"expires":"2030-01-01T00:00:00Z","value":{"gen"`,
		"future version": `{"version":99,"entries":{}}`,
		"empty":          "",
		"missing value":  `{"version":1,"entries":{"k":{"expires":"2030-01-01T00:00:00Z"}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			f := NewFile(path)
			if _, err := f.Get("k"); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Get = %v, want ErrCorrupt", err)
			}
			if err := f.Put(rec("k2", time.Now().Add(time.Hour))); err != nil {
				t.Fatalf("Put over a corrupt file: %v", err)
			}
			if _, err := f.Get("k2"); err != nil {
				t.Fatalf("corrupt file not replaced: %v", err)
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
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A store per writer, as in separate processes: flock locks
			// belong to open files, so these exclude each other too.
			errs <- NewFile(path).Put(rec(fmt.Sprintf("key-%02d", i), time.Now().Add(time.Hour)))
		}()
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
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".cache.json.tmp-*"))
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

// FuzzDecodeFile: the cache file is a user-editable file; its decoder must
// never panic, and whatever it accepts must survive an encode/decode cycle.
func FuzzDecodeFile(f *testing.F) {
	f.Add([]byte(`{"version":1,"entries":{"k":{"label":"a @ b","expires":"2030-01-01T00:00:00Z","value":{"gen":"g"}}}}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"entries":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := decodeFile(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error does not wrap ErrCorrupt: %v", err)
			}
			return
		}
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("accepted document does not encode: %v", err)
		}
		again, err := decodeFile(out)
		if err != nil || len(again.Entries) != len(doc.Entries) {
			t.Fatalf("accepted document does not survive a round trip: %v", err)
		}
	})
}

func TestFileRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.json")
	stale := filepath.Join(dir, ".cache.json.tmp-123")
	young := filepath.Join(dir, ".cache.json.tmp-456")
	for _, p := range []string{stale, young} {
		if err := os.WriteFile(p, []byte("{"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if err := NewFile(path).Put(rec("k", time.Now().Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file kept: %v", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("young temp file (another writer's) removed: %v", err)
	}
}
