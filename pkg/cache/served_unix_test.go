//go:build unix

package cache

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A marker is never written through a symbolic link: the heal marker and the
// sweep stamp are touched by path, and a link would have us change the times
// of (or create) a file elsewhere.
func TestMarkersDoNotFollowLinks(t *testing.T) {
	dir := t.TempDir()
	s := newServedLog(filepath.Join(dir, "state"), time.Minute, time.Now)
	key := strings.Repeat("a", 64)
	old := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, link := range []string{filepath.Join(s.healDir, key[:markerKeyLen]+".p1"), filepath.Join(s.dir, ".swept")} {
		target := filepath.Join(dir, filepath.Base(link)+"-target")
		if err := os.WriteFile(target, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(target, old, old); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(link), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	if s.mayHeal(key, "p1") {
		t.Error("mayHeal went through a linked marker")
	}
	if s.maybeSweep() {
		t.Error("maybeSweep went through a linked stamp")
	}
	for _, name := range []string{key[:markerKeyLen] + ".p1-target", ".swept-target"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || !st.ModTime().Equal(old) {
			t.Errorf("%s: %v; its time was changed through the link", name, err)
		}
	}
}
