package filestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// legacyDoc is a cache file as the single-file layout wrote it.
func legacyDoc(t *testing.T, entries map[string]time.Time) []byte {
	t.Helper()
	doc := legacyFile{Version: legacyVersion, Entries: map[string]legacyEntry{}}
	for k, exp := range entries {
		doc.Entries[k] = legacyEntry{Label: "user-" + k, Expires: exp, Value: json.RawMessage(`{"gen":"` + k + `","status":{"token":"t"}}`)}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func writeLegacy(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
}

// An upgrade keeps every live credential of the old single-file cache: the
// first miss carries them over, the old file and its lock go away, and the
// next lookups are hits from the new layout.
func TestFileMigratesTheOldLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kube-credential-cache", "cache.json")
	now := time.Now()
	writeLegacy(t, path, legacyDoc(t, map[string]time.Time{
		"aaa": now.Add(time.Hour), "bbb": now.Add(2 * time.Hour), "old": now.Add(-time.Minute),
	}))
	f := NewFile(path)
	got, err := f.Get("aaa")
	if err != nil || got.Label != "user-aaa" || string(got.Value) != `{"gen":"aaa","status":{"token":"t"}}` {
		t.Fatalf("Get after the upgrade = %+v, %v", got, err)
	}
	for _, p := range []string{path, path + ".lock", filepath.Join(f.Dir, "old")} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is left after the migration: %v", filepath.Base(p), err)
		}
	}
	recs, err := f.List()
	if err != nil || len(recs) != 2 || recs[0].Key != "aaa" || recs[1].Key != "bbb" {
		t.Fatalf("List = %+v, %v; want aaa and bbb", recs, err)
	}
	assertMode(t, filepath.Join(f.Dir, "bbb"), 0o600)
}

// --list and --clear see the old file's entries before any lookup did.
func TestFileListMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.json")
	writeLegacy(t, path, legacyDoc(t, map[string]time.Time{"aaa": time.Now().Add(time.Hour)}))
	recs, err := NewFile(path).List()
	if err != nil || len(recs) != 1 || recs[0].Key != "aaa" {
		t.Fatalf("List = %+v, %v", recs, err)
	}
}

// An entry already written in the new layout is newer than the old file's.
func TestFileMigrationKeepsNewerEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.json")
	f := NewFile(path)
	newer := rec("aaa", time.Now().Add(3*time.Hour))
	newer.Label = "newer"
	if err := f.Put(newer); err != nil {
		t.Fatal(err)
	}
	writeLegacy(t, path, legacyDoc(t, map[string]time.Time{"aaa": time.Now().Add(time.Hour), "bbb": time.Now().Add(time.Hour)}))
	if _, err := f.Get("bbb"); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Get("aaa"); err != nil || got.Label != "newer" {
		t.Fatalf("Get(aaa) = %+v, %v; want the newer entry", got, err)
	}
}

// A corrupt old file is removed and reported once; after that the cache
// works as if it had never been there.
func TestFileCorruptOldFile(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":        "\x00\x01 not json",
		"truncated":      `{"version":1,"entries":{"k":{"expires":"2030-01-01T00:00:00Z","value":{"gen"`,
		"future version": `{"version":99,"entries":{}}`,
		"empty":          "",
		"missing value":  `{"version":1,"entries":{"k":{"expires":"2030-01-01T00:00:00Z"}}}`,
		"another shape":  `[1,2,3]`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.json")
			writeLegacy(t, path, []byte(content))
			f := NewFile(path)
			if _, err := f.Get("k"); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("first Get = %v, want ErrCorrupt", err)
			}
			if _, err := f.Get("k"); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("second Get = %v, want a plain miss", err)
			}
			if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("corrupt old file kept: %v", err)
			}
		})
	}
}

// Many processes that miss at once on an upgraded machine: each finds its
// entry, no call fails, and the old file is gone afterwards. The test binary
// runs itself as the processes (see TestMain).
func TestFileConcurrentMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.json")
	keys := map[string]time.Time{}
	for i := range 40 {
		keys[fmt.Sprintf("key%02d", i)] = time.Now().Add(time.Hour)
	}
	writeLegacy(t, path, legacyDoc(t, keys))
	var wg sync.WaitGroup
	errs := make(chan string, len(keys))
	for k := range keys {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), helperEnv+"=get", "KCC_HELPER_FILE="+path, "KCC_HELPER_KEY="+k)
			if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "label=user-"+k) {
				errs <- fmt.Sprintf("%s: %v\n%s", k, err, out)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old file kept: %v", err)
	}
	if recs, err := NewFile(path).List(); err != nil || len(recs) != len(keys) {
		t.Errorf("List = %d records, %v; want %d", len(recs), err, len(keys))
	}
}

// FuzzDecodeLegacy: the old cache file is a user-editable file; its decoder
// must never panic, and whatever it accepts must survive an encode/decode
// cycle.
func FuzzDecodeLegacy(f *testing.F) {
	f.Add([]byte(`{"version":1,"entries":{"k":{"label":"a @ b","expires":"2030-01-01T00:00:00Z","value":{"gen":"g"}}}}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"entries":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := decodeLegacy(data)
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
		again, err := decodeLegacy(out)
		if err != nil || len(again.Entries) != len(doc.Entries) {
			t.Fatalf("accepted document does not survive a round trip: %v", err)
		}
	})
}
