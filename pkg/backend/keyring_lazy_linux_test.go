package backend

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
)

// The proxy's store: a hit reads the item without any check first, and a
// Put after a miss checks, finds the store usable, and stores in it.
func TestLazyKeyringHitAndMiss(t *testing.T) {
	k, opts := sessionKeyring(t)
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	rec := keyringtest.NewRecord(key, "lazy @ https://k8s", 1500)
	if err := k.Put(rec); err != nil {
		t.Fatal(err)
	}
	opts.Kind, opts.Lazy = "auto", true
	c, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	lazy, ok := c.Store.(*LazyKeyring)
	if !ok || c.Name != "keyring" {
		t.Fatalf("Open(auto, Lazy) = %s %T (%s)", c.Name, c.Store, c.Reason)
	}
	defer lazy.Close()
	got, err := lazy.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	keyringtest.SameRecord(t, got, rec)
	if lazy.checked {
		t.Error("a hit checked the store: that is a round trip only a miss needs")
	}

	other := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(other) })
	if _, err := lazy.Get(other); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("miss: %v", err)
	}
	if !lazy.checked || lazy.broken {
		t.Fatalf("a miss must check the store (checked %v, broken %v)", lazy.checked, lazy.broken)
	}
	if err := lazy.Put(keyringtest.NewRecord(other, "o", 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := k.vault.Get(other); err != nil {
		t.Errorf("the Put after the check did not go to the keyring: %v", err)
	}
}

// A locked collection, found only when a call is not a hit: auto goes to the
// file and remembers why; an explicit keyring caches nothing and warns once.
func TestLazyKeyringLockedCollection(t *testing.T) {
	addr := keyringtest.PrivateBus(t)
	keyringtest.PrivateKeyring(t, addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	file := filepath.Join(t.TempDir(), "cache.json")
	key := keyringtest.NewKey(t)
	// An item stored while unlocked, then the collection is locked.
	c, err := Open(Options{Kind: "keyring", File: file, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Store.Put(keyringtest.NewRecord(key, "x", 10)); err != nil {
		t.Fatalf("Put while unlocked (%s): %v", c.Reason, err)
	}
	c.Store.(*Keyring).Close()
	keyringtest.LockDefaultCollection(t, addr)

	t.Run("auto", func(t *testing.T) {
		c, err := Open(Options{Kind: "auto", File: file, Timeout: 2 * time.Second, Lazy: true})
		if err != nil || c.Name != "keyring" {
			t.Fatalf("Open: %s %v", c.Name, err)
		}
		if _, err := c.Store.Get(key); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Get of a locked item: %v, want a miss from the file", err)
		}
		rec := keyringtest.NewRecord(key, "in the file", 10)
		if err := c.Store.Put(rec); err != nil {
			t.Fatal(err)
		}
		if got, err := filestore.NewFile(file).Get(key); err != nil || got.Label != "in the file" {
			t.Fatalf("the fallback is not the file: %+v %v", got, err)
		}
		again, err := Open(Options{Kind: "auto", File: file, Timeout: 2 * time.Second, Lazy: true})
		if err != nil || again.Name != "file" || !strings.Contains(again.Reason, "locked") || !strings.Contains(again.Reason, "remembered") {
			t.Fatalf("next Open: %s (%s) %v; want the remembered verdict", again.Name, again.Reason, err)
		}
	})
	t.Run("keyring", func(t *testing.T) {
		var warnings []string
		c, err := Open(Options{Kind: "keyring", File: t.TempDir() + "/c.json", Timeout: 2 * time.Second, Lazy: true,
			Warn: func(s string) { warnings = append(warnings, s) }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Store.Get(key); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Get: %v", err)
		}
		if err := c.Store.Put(keyringtest.NewRecord(key, "y", 10)); !errors.Is(err, errNotCached) {
			t.Fatalf("Put on an unusable explicit keyring: %v, want errNotCached", err)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], "locked") || !strings.Contains(warnings[0], "not cached") {
			t.Fatalf("warnings %q, want one about the lock", warnings)
		}
	})
}
