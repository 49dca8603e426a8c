//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nobody is the uid another user's plant is given (os.Chown needs root).
const nobody = 65534

// seedEntry caches the test plugin's credential and returns the cache file,
// the entry's key and the entry file's content.
func seedEntry(t *testing.T) (file, key string, blob []byte) {
	t.Helper()
	file = isolate(t)
	t.Setenv("KCC_MAIN_TEST_PLUGIN", "1")
	if code, out, errOut := runCmd(t, os.Args[0]); code != 0 || !strings.Contains(out, "main-test-token") {
		t.Fatalf("seeding run: code %d out %q err %q", code, out, errOut)
	}
	names, err := filepath.Glob(filepath.Join(file+".d", "entries", "[0-9a-f]*"))
	if err != nil || len(names) != 1 {
		t.Fatalf("entries after seeding: %v %v", names, err)
	}
	blob, err = os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	// The next run comes from this process too: without its served marker it
	// is a first call, which a hit would answer from the cache.
	if err := os.RemoveAll(filepath.Join(file+".d", "served")); err != nil {
		t.Fatal(err)
	}
	return file, filepath.Base(names[0]), blob
}

// planted is what another user would put there: the same entry with their
// own token.
func planted(blob []byte) []byte {
	return bytes.ReplaceAll(blob, []byte("main-test-token"), []byte("planted-token"))
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("giving a file to another uid needs root")
	}
}

func chown(t *testing.T, path string) {
	t.Helper()
	if err := os.Lchown(path, nobody, nobody); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, path string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // whatever the umask
		t.Fatal(err)
	}
}

// snapshot is every path under dir with its mode and content, to show that
// a refused cache is neither read into nor written to.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		v := fi.Mode().String()
		if fi.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			v += " " + string(data)
		}
		got[path] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// A cache in a directory other users can write to (KUBE_CREDENTIAL_CACHE_FILE
// in /tmp, say) must never hand kubectl what someone else put there: every
// kind of plant below makes kcc-cache warn once, run the plugin, print its
// credential and leave the cache as it found it.
func TestUntrustedCacheIsPassedThrough(t *testing.T) {
	tests := []struct {
		name  string
		root  bool // needs to give files to another uid
		plant func(t *testing.T, file, key string, blob []byte)
		warn  string // part of the one warning line
	}{
		{name: "entry owned by another user", root: true, warn: "owned by uid 65534",
			plant: func(t *testing.T, file, key string, blob []byte) {
				entry := filepath.Join(file+".d", "entries", key)
				write(t, entry, planted(blob), 0o600)
				chown(t, entry)
			}},
		{name: "entry is a symbolic link", warn: "is a symbolic link",
			plant: func(t *testing.T, file, key string, blob []byte) {
				target := filepath.Join(filepath.Dir(file), "elsewhere")
				write(t, target, planted(blob), 0o644)
				entry := filepath.Join(file+".d", "entries", key)
				os.Remove(entry)
				if err := os.Symlink(target, entry); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "entry writable by others", warn: "writable by group or others (mode 0666)",
			plant: func(t *testing.T, file, key string, blob []byte) {
				write(t, filepath.Join(file+".d", "entries", key), planted(blob), 0o666)
			}},
		{name: "entries dir group-writable", warn: "entries is writable by group or others (mode 0770)",
			plant: func(t *testing.T, file, key string, blob []byte) {
				write(t, filepath.Join(file+".d", "entries", key), planted(blob), 0o600)
				if err := os.Chmod(filepath.Join(file+".d", "entries"), 0o770); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "entries dir owned by another user", root: true, warn: "entries is owned by uid 65534",
			plant: func(t *testing.T, file, key string, blob []byte) {
				write(t, filepath.Join(file+".d", "entries", key), planted(blob), 0o600)
				chown(t, filepath.Join(file+".d", "entries"))
			}},
		{name: "state dir owned by another user", root: true, warn: "cache.json.d is owned by uid 65534",
			plant: func(t *testing.T, file, key string, blob []byte) {
				write(t, filepath.Join(file+".d", "entries", key), planted(blob), 0o600)
				chown(t, file+".d")
			}},
		{name: "state dir world-writable", warn: "cache.json.d is writable by group or others (mode 0777)",
			plant: func(t *testing.T, file, key string, blob []byte) {
				write(t, filepath.Join(file+".d", "entries", key), planted(blob), 0o600)
				if err := os.Chmod(file+".d", 0o777); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "state dir is a symbolic link", warn: "cache.json.d is a symbolic link",
			plant: func(t *testing.T, file, key string, blob []byte) {
				other := filepath.Join(filepath.Dir(file), "other.d")
				write(t, filepath.Join(other, "entries", key), planted(blob), 0o600)
				if err := os.RemoveAll(file + ".d"); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(other, file+".d"); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "old cache file owned by another user", root: true, warn: "cache.json is owned by uid 65534",
			plant: func(t *testing.T, file, key string, blob []byte) {
				os.Remove(filepath.Join(file+".d", "entries", key))
				write(t, file, legacyDoc(t, key, planted(blob)), 0o600)
				chown(t, file)
			}},
		{name: "old cache file's lock is a symbolic link", warn: "cache.json.lock is a symbolic link",
			plant: func(t *testing.T, file, key string, blob []byte) {
				os.Remove(filepath.Join(file+".d", "entries", key))
				write(t, file, legacyDoc(t, key, blob), 0o600)
				if err := os.Symlink(filepath.Join(filepath.Dir(file), "lock-target"), file+".lock"); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "lock file owned by another user", root: true, warn: ".lock is owned by uid 65534",
			plant: func(t *testing.T, file, key string, blob []byte) {
				os.Remove(filepath.Join(file+".d", "entries", key))
				lock := filepath.Join(file+".d", "locks", key+".lock")
				write(t, lock, nil, 0o600)
				chown(t, lock)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.root {
				needRoot(t)
			}
			file, key, blob := seedEntry(t)
			tt.plant(t, file, key, blob)
			before := snapshot(t, filepath.Dir(file))

			code, out, errOut := runCmd(t, os.Args[0])
			if code != 0 {
				t.Fatalf("exit code %d, stderr %q", code, errOut)
			}
			if strings.Contains(out, "planted-token") || !strings.Contains(out, "main-test-token") {
				t.Errorf("stdout %q, want the plugin's credential", out)
			}
			if !strings.HasPrefix(errOut, "kcc-cache: refusing ") || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.warn) {
				t.Errorf("stderr %q, want one line refusing, with %q", errOut, tt.warn)
			}
			if strings.Contains(errOut, "token") {
				t.Errorf("stderr shows a token: %q", errOut)
			}
			// --info says when the directories are refused.
			if _, info, _ := runCmd(t, "--info"); strings.Contains(tt.name, " dir ") && (!strings.Contains(info, "refusing cache directory: ") || !strings.Contains(info, tt.warn)) {
				t.Errorf("--info does not say the directory is refused:\n%s", info)
			}
			after := snapshot(t, filepath.Dir(file))
			for path, was := range before {
				if after[path] != was {
					t.Errorf("%s changed: %q -> %q", path, was, after[path])
				}
			}
			for path := range after {
				if _, ok := before[path]; !ok {
					t.Errorf("%s was created", path)
				}
			}
		})
	}
}

// legacyDoc is a cache file of the old single-file layout holding the entry
// blob (expiry line, label line, value) under key.
func legacyDoc(t *testing.T, key string, blob []byte) []byte {
	t.Helper()
	head, value, _ := bytes.Cut(bytes.TrimPrefix(blob, []byte("kcc1 ")), []byte("\n"))
	label, value, _ := bytes.Cut(value, []byte("\n"))
	exp, err := time.Parse(time.RFC3339Nano, string(head))
	if err != nil {
		t.Fatalf("entry blob %q: %v", blob, err)
	}
	doc, err := json.Marshal(map[string]any{"version": 1, "entries": map[string]any{
		key: map[string]any{"label": string(label), "expires": exp, "value": json.RawMessage(value)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
