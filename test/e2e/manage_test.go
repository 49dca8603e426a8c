//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestManagement uses --help, --version, --info, --list and --clear on the
// cache kubectl just filled.
func TestManagement(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, h *harness) {
		for _, flag := range []string{"--help", "--version"} {
			if r := h.run(h.env(), "", kccBin, flag); r.code != 0 || r.stdout == "" {
				t.Errorf("kcc-cache %s:\n%v", flag, r)
			}
		}
		if r := h.run(h.env(), "", kccBin); r.code != 2 {
			t.Errorf("bare kcc-cache: want usage and exit 2:\n%v", r)
		}
		h.wantRuns(0, "management commands never run a plugin")

		h.srv.acceptTokenPrefix("tok-" + h.id + "-")
		kc := h.kubeconfig(execUser{provideClusterInfo: true})
		h.mustGetPods(kc)

		entries, out := h.list()
		mine := h.own(entries)
		if len(mine) != 1 {
			t.Fatalf("want one entry of this test in --list -o json:\n%s", out.stdout)
		}
		e := mine[0]
		if len(e.Key) != 64 || e.Server != h.srv.URL || e.Command != filepath.Base(selfBin) {
			t.Errorf("entry %+v: want a sha256 key, server %s, command %s", e, h.srv.URL, filepath.Base(selfBin))
		}
		if exp, err := time.Parse(time.RFC3339, e.Expires); err != nil || time.Until(exp) < 55*time.Minute || time.Until(exp) > time.Hour {
			t.Errorf("entry expires %q (%v), want the plugin's expiry in 1h", e.Expires, err)
		}
		if r := h.run(h.env(), "", kccBin, "--list"); r.code != 0 || !strings.Contains(r.stdout, e.Key[:12]) || !strings.Contains(r.stdout, h.srv.URL) {
			t.Errorf("kcc-cache --list (table) does not show the entry:\n%v", r)
		}
		info := h.run(h.env(), "", kccBin, "--info")
		if info.code != 0 || !strings.Contains(info.stdout, h.backend) || !strings.Contains(info.stdout, h.cacheFile) {
			t.Errorf("kcc-cache --info does not name backend %s and file %s:\n%v", h.backend, h.cacheFile, info)
		}

		if r := h.run(h.env(), "", kccBin, "--clear", e.Key[:12]); r.code != 0 {
			t.Fatalf("kcc-cache --clear %s:\n%v", e.Key[:12], r)
		}
		if entries, out := h.list(); len(h.own(entries)) != 0 {
			t.Fatalf("--clear KEY left the entry:\n%s", out.stdout)
		}
		h.mustGetPods(kc)
		h.wantRuns(2, "kubectl after --clear")
	})
}

// TestCacheFilePermissions: entry files are 0600 and the directories
// kcc-cache creates for them 0700; a looser entry file is tightened when it
// is read. (A directory that already exists is left alone unless it is
// kcc-cache's own: it may be the user's, like HOME for
// KUBE_CREDENTIAL_CACHE_FILE=~/kcc.json.)
func TestCacheFilePermissions(t *testing.T) {
	t.Parallel()
	forFileBackend(t, func(t *testing.T, h *harness) {
		dir := filepath.Dir(h.cacheFile)
		h.srv.acceptTokenPrefix("tok-" + h.id + "-")
		kc := h.kubeconfig(execUser{})
		h.mustGetPods(kc)
		wantMode(t, dir, 0o700)
		wantMode(t, h.entriesDir(), 0o700)
		files := h.entryFiles()
		if len(files) != 1 {
			t.Fatalf("want one entry file, have %v", files)
		}
		wantMode(t, files[0], 0o600)

		if err := os.Chmod(files[0], 0o644); err != nil {
			t.Fatal(err)
		}
		h.mustGetPods(kc) // a hit: it only reads the entry
		h.wantRuns(1, "two kubectl calls")
		wantMode(t, files[0], 0o600)
	})
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s has mode %v, want %v", path, got, want)
	}
}
