//go:build unix

package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entriesDir is where the file backend keeps one file per cache key.
func (h *harness) entriesDir() string { return h.cacheFile + ".d/entries" }

// entryFiles lists the entry files (not the temp files of writers, nor the
// prune stamp, which start with a dot).
func (h *harness) entryFiles() []string {
	h.t.Helper()
	ents, err := os.ReadDir(h.entriesDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, de := range ents {
		if !strings.HasPrefix(de.Name(), ".") {
			out = append(out, filepath.Join(h.entriesDir(), de.Name()))
		}
	}
	return out
}

// wholeEntry reports whether b is a whole entry file: the "kcc1 <expiry>"
// line, the label line, and one JSON document.
func wholeEntry(b []byte) bool {
	rest, ok := bytes.CutPrefix(b, []byte("kcc1 "))
	if !ok {
		return false
	}
	parts := bytes.SplitN(rest, []byte("\n"), 3)
	return len(parts) == 3 && json.Valid(parts[2])
}

// TestUpgradeFromSingleFileCache: a cache file written by the single-file
// layout of earlier versions is read by the first call after the upgrade,
// which is a hit (no plugin run, nothing on stderr); the old file is then
// gone and every identity it held is listed.
//
// testdata/legacy-cache.json was written by kcc-cache at commit ecfead8, the
// last of that layout, for two users of one plugin found on PATH:
//
//	for u in legacy-a legacy-b; do env -i PATH=<dir with the plugin>:/usr/bin:/bin \
//	  KUBE_CREDENTIAL_CACHE_BACKEND=file KUBE_CREDENTIAL_CACHE_FILE=<dir>/cache.json \
//	  KUBE_CREDENTIAL_CACHE_USER=$u KUBERNETES_EXEC_INFO='{"kind":"ExecCredential",
//	  "apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false}}' \
//	  kcc-cache kcc-e2e-legacy-plugin; done
//
// where the plugin printed the token "legacy-token-$KUBE_CREDENTIAL_CACHE_USER".
//
// The default cache-key list has grown since (AWS_DEFAULT_PROFILE), which
// changes every key: after that upgrade the old entries are carried over but
// not found, and each identity runs its plugin once. The test sets the list
// of then, to test the carrying over itself.
func TestUpgradeFromSingleFileCache(t *testing.T) {
	t.Parallel()
	forFileBackend(t, func(t *testing.T, h *harness) {
		legacy, err := os.ReadFile(filepath.Join("testdata", "legacy-cache.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(h.cacheFile), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(h.cacheFile, legacy, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(h.cacheFile+".lock", nil, 0o600); err != nil {
			t.Fatal(err)
		}
		// The same plugin name as then, on PATH; it is the counting test
		// plugin, so a run would show.
		bin := filepath.Join(h.dir, "bin")
		if err := os.Mkdir(bin, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(selfBin, filepath.Join(bin, "kcc-e2e-legacy-plugin")); err != nil {
			t.Fatal(err)
		}
		path := "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
		keyList := "KUBE_CREDENTIAL_CACHE_CACHEKEY_ENV_LIST=" + legacyKeyList

		for _, user := range []string{"legacy-a", "legacy-b", "legacy-a"} {
			r := h.kcc("v1beta1", "", []string{path, keyList, "KUBE_CREDENTIAL_CACHE_USER=" + user}, "kcc-e2e-legacy-plugin")
			cred, err := decodeCredential([]byte(r.stdout), "v1beta1")
			if r.code != 0 || err != nil || r.stderr != "" {
				t.Fatalf("%s after the upgrade: %v\n%v", user, err, r)
			}
			if cred.Status.Token != "legacy-token-"+user {
				t.Fatalf("%s got %q, want the cached legacy-token-%s", user, cred.Status.Token, user)
			}
		}
		h.wantRuns(0, "calls served from the old cache file")
		for _, p := range []string{h.cacheFile, h.cacheFile + ".lock"} {
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s is left after the upgrade: %v", p, err)
			}
		}
		entries, r := h.list()
		if len(entries) != 2 || len(h.entryFiles()) != 2 {
			t.Fatalf("want the two identities of the old file, one file each:\n%s", r.stdout)
		}
	})
}

// legacyKeyList is the default cache-key list of commit ecfead8, with which
// testdata/legacy-cache.json was written.
const legacyKeyList = "KUBE_CREDENTIAL_CACHE_USER,AWS_PROFILE,AWS_REGION,AWS_DEFAULT_REGION,AWS_VAULT,AWS_ROLE_ARN,AWS_ACCESS_KEY_ID,AWS_CONFIG_FILE,AWS_SHARED_CREDENTIALS_FILE,CLOUDSDK_CONFIG,GOOGLE_APPLICATION_CREDENTIALS,AZURE_CONFIG_DIR"

// TestOneEntryFilePerIdentity: each identity is a file of its own, 0600, in a
// 0700 directory, and a hit reads it and nothing else of the cache.
func TestOneEntryFilePerIdentity(t *testing.T) {
	t.Parallel()
	forFileBackend(t, func(t *testing.T, h *harness) {
		for i := range 5 {
			if r := h.kcc("v1", "", []string{fmt.Sprintf("KUBE_CREDENTIAL_CACHE_USER=u%d-%s", i, h.id)}, h.pluginArgs()...); r.code != 0 {
				t.Fatalf("kcc-cache:\n%v", r)
			}
		}
		files := h.entryFiles()
		if len(files) != 5 {
			t.Fatalf("%d entry files for 5 identities: %v", len(files), files)
		}
		wantMode(t, h.entriesDir(), 0o700)
		for _, f := range files {
			wantMode(t, f, 0o600)
			if b, err := os.ReadFile(f); err != nil || !wholeEntry(b) {
				t.Errorf("%s is not a whole entry: %v", f, err)
			}
		}
		if _, err := os.Stat(h.cacheFile); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the single cache file was written: %v", err)
		}
	})
}
