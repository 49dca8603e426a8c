//go:build darwin || windows

package backend

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// TestOSVaultRoundTrip stores, reads, lists and deletes records in the real
// macOS Keychain or Windows Credential Manager: one that fits the store and
// one too large for Credential Manager's 2560 bytes, which goes to the
// overflow file there. The workflow's macOS and Windows jobs set
// KCC_REQUIRE_KEYRING=1, so an unusable store fails there; elsewhere (a
// locked Keychain, a CGO_ENABLED=0 darwin build) it skips with the reason.
func TestOSVaultRoundTrip(t *testing.T) {
	c, err := Open(Options{Kind: "keyring", File: filepath.Join(t.TempDir(), "cache.json"), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	k, ok := c.Store.(*Keyring)
	if !ok {
		if os.Getenv("KCC_REQUIRE_KEYRING") != "" {
			t.Fatalf("the OS secret store is unusable: %s", c.Reason)
		}
		t.Skipf("the OS secret store is unusable (KCC_REQUIRE_KEYRING=1 makes this a failure): %s", c.Reason)
	}
	t.Cleanup(func() { _ = k.Close() })
	small, large := keyringtest.NewRecord(testKey(t), "kcc test @ small", 200), keyringtest.NewRecord(testKey(t), "kcc test @ large", 3000)
	// It is the user's own store: leave nothing behind, even on failure
	// (cleanups run last first, so this runs before Close).
	t.Cleanup(func() { _ = k.Delete(small.Key, large.Key) })
	for _, r := range []struct {
		name string
		rec  record.Record
	}{{"small", small}, {"large", large}} {
		if err := k.Put(r.rec); err != nil {
			t.Fatalf("Put %s: %v", r.name, err)
		}
		got, err := k.Get(r.rec.Key)
		if err != nil {
			t.Fatalf("Get %s: %v", r.name, err)
		}
		keyringtest.SameRecord(t, got, r.rec)
	}
	listed, err := k.List()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, r := range listed {
		found[r.Key] = true
	}
	if !found[small.Key] || !found[large.Key] {
		t.Errorf("List lacks a stored record (small %v, large %v)", found[small.Key], found[large.Key])
	}
	if err := k.Delete(small.Key, large.Key); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{small.Key, large.Key} {
		if _, err := k.Get(key); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Get after Delete: %v, want not found", err)
		}
	}
}

// testKey is a fresh key, so a run never touches a real cache entry.
func testKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
