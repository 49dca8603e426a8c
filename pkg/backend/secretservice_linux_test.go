package backend

import (
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// These tests talk to a real Secret Service: the one on the session bus the
// tests run in (see README: gnome-keyring inside dbus-run-session), or a
// private dbus-daemon + gnome-keyring-daemon a test starts for itself when it
// must change the service's state (locking it), so that running the tests on
// a desktop never locks the user's own keyring.

// sessionKeyring opens the Secret Service of the surrounding session bus.
func sessionKeyring(t *testing.T) (*Keyring, Options) {
	t.Helper()
	opts := Options{Kind: "keyring", File: filepath.Join(t.TempDir(), "cache.json"), Timeout: 2 * time.Second, Debugf: t.Logf}
	c, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	k, ok := c.Store.(*Keyring)
	if !ok {
		keyringtest.Require(t, "no usable Secret Service: %s", c.Reason)
	}
	t.Cleanup(func() { _ = k.Close() })
	return k, opts
}

func listed(t *testing.T, s Store, key string) bool {
	t.Helper()
	recs, err := s.List()
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	for _, r := range recs {
		if r.Key == key {
			return true
		}
	}
	return false
}

func TestSecretServiceRoundTrip(t *testing.T) {
	k, _ := sessionKeyring(t)
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })

	if _, err := k.Get(key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Get before Put: %v, want fs.ErrNotExist", err)
	}
	first, second := keyringtest.NewRecord(key, "alice @ https://one", 10), keyringtest.NewRecord(key, "alice @ https://one", 20)
	for _, rec := range []record.Record{first, second} {
		if err := k.Put(rec); err != nil {
			t.Fatalf("Put: %v", err)
		}
		got, err := k.Get(key)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		keyringtest.SameRecord(t, got, rec)
	}
	// replace=true: the second Put updated the item rather than adding one.
	if out := keyringtest.SecretTool(t, "", "search", "--all", "service", attrService, "key", key); strings.Count(out, "attribute.key = "+key) != 1 {
		t.Errorf("want exactly one item for the key, secret-tool search says:\n%s", out)
	}
	if !listed(t, k, key) {
		t.Errorf("List does not show %.12s", key)
	}
	if err := k.Delete(key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Get after Delete: %v, want fs.ErrNotExist", err)
	}
	if listed(t, k, key) {
		t.Errorf("List still shows %.12s after Delete", key)
	}
}

func TestSecretServiceItemsVisibleToSecretTool(t *testing.T) {
	k, _ := sessionKeyring(t)
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	if err := k.Put(keyringtest.NewRecord(key, "bob @ https://two", 5)); err != nil {
		t.Fatal(err)
	}
	out := keyringtest.SecretTool(t, "", "search", "service", attrService)
	for _, want := range []string{"attribute.key = " + key, "label = kube-credential-cache: bob @ https://two"} {
		if !strings.Contains(out, want) {
			t.Errorf("secret-tool search service %s: no %q in\n%s", attrService, want, out)
		}
	}
}

// Items of other programs, even one carrying the same key attribute, are
// neither listed nor deleted.
func TestSecretServiceLeavesOtherItemsAlone(t *testing.T) {
	k, _ := sessionKeyring(t)
	key := keyringtest.NewKey(t)
	keyringtest.SecretTool(t, "other-program-secret", "store", "--label=other program", "service", "other-program", "key", key)
	t.Cleanup(func() { keyringtest.SecretTool(t, "", "clear", "service", "other-program", "key", key) })

	if _, err := k.Get(key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Get of a key only another program uses: %v, want fs.ErrNotExist", err)
	}
	if listed(t, k, key) {
		t.Errorf("List shows another program's item")
	}
	if err := k.Put(keyringtest.NewRecord(key, "ours", 1)); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(key); err != nil {
		t.Fatal(err)
	}
	if got := keyringtest.SecretTool(t, "", "lookup", "service", "other-program", "key", key); got != "other-program-secret" {
		t.Errorf("other program's item after our Put+Delete: %q, want it untouched", got)
	}
}

// An entry over the store's limit goes to the overflow file, and back to the
// store when it fits again; Get, List and Delete see it wherever it is.
func TestKeyringOversizeEntryGoesToFile(t *testing.T) {
	k, opts := sessionKeyring(t)
	k.limit = 1024 // the Secret Service has no limit; this plays WinCred
	k.prunes = func() bool { return true }
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	inFile := func() bool {
		_, err := filestore.NewFile(opts.File).Get(key)
		return err == nil
	}
	inVault := func() bool {
		_, err := k.vault.Get(key)
		return err == nil
	}

	steps := []struct {
		name             string
		rec              record.Record
		wantFile, wantKR bool
	}{
		{"small goes to the keyring", keyringtest.NewRecord(key, "u @ s", 100), false, true},
		{"oversize goes to the file", keyringtest.NewRecord(key, "u @ s", 3000), true, false},
		{"small again leaves the file", keyringtest.NewRecord(key, "u @ s", 200), false, true},
		{"oversize once more", keyringtest.NewRecord(key, "u @ s", 2600), true, false},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := k.Put(st.rec); err != nil {
				t.Fatalf("Put: %v", err)
			}
			if inFile() != st.wantFile || inVault() != st.wantKR {
				t.Errorf("in file %v, in keyring %v; want %v, %v", inFile(), inVault(), st.wantFile, st.wantKR)
			}
			got, err := k.Get(key)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			keyringtest.SameRecord(t, got, st.rec)
			if !listed(t, k, key) {
				t.Errorf("List does not show the entry")
			}
		})
	}
	if err := k.Delete(key); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(key); !errors.Is(err, fs.ErrNotExist) || inFile() {
		t.Errorf("after Delete: Get %v, in file %v; want gone", err, inFile())
	}
}

func TestKeyringPrunesExpiredItems(t *testing.T) {
	k, _ := sessionKeyring(t)
	k.prunes = func() bool { return true }
	old, fresh := keyringtest.NewKey(t), keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(old, fresh) })
	expired := keyringtest.NewRecord(old, "old", 1)
	expired.Expires = time.Now().Add(-time.Minute)
	if err := k.Put(expired); err != nil {
		t.Fatal(err)
	}
	if err := k.Put(keyringtest.NewRecord(fresh, "fresh", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := k.vault.Get(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("expired item still there after a Put: %v", err)
	}
}

// Whatever stands in the way of the Secret Service, auto picks the file
// (within its probe bound: the reason says which bound ended the wait) and
// keyring caches nothing, with a reason and a warning.
func TestOpenFallsBack(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(t *testing.T) // points the session bus somewhere
		wantReason string
	}{
		{"no bus address", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
			t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
		}, "no D-Bus session bus"},
		{"autolaunch is not followed", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "autolaunch:")
			t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
		}, "no D-Bus session bus"},
		{"bus socket gone", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "bus"))
		}, "could not connect"},
		{"bus accepts and stays silent", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+keyringtest.SilentSocket(t))
		}, "did not answer"},
		{"bus without a Secret Service", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", keyringtest.PrivateBus(t))
		}, "no Secret Service"},
		{"locked default collection", func(t *testing.T) {
			addr := keyringtest.PrivateBus(t)
			keyringtest.PrivateKeyring(t, addr)
			keyringtest.LockDefaultCollection(t, addr)
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
		}, "locked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(t)
			file := filepath.Join(t.TempDir(), "cache.json")
			for _, kind := range []string{"auto", "keyring"} {
				// The reason names the bound that ended the wait ("did not
				// answer"); how long that takes is the benchmark's business.
				start := time.Now()
				c, err := openGuarded(t, Options{Kind: kind, File: file, Timeout: 250 * time.Millisecond})
				took := time.Since(start)
				if err != nil {
					t.Fatalf("Open(%s): %v", kind, err)
				}
				t.Logf("%s: %s after %v: %s", kind, c.Name, took, c.Reason)
				if !strings.Contains(c.Reason, tt.wantReason) {
					t.Errorf("Open(%s) reason %q, want it to say %q", kind, c.Reason, tt.wantReason)
				}
				switch kind {
				case "auto":
					if _, ok := c.Store.(*filestore.File); !ok || c.Name != "file" || c.Warning != "" {
						t.Errorf("auto chose %s (%T), warning %q; want the file, silently", c.Name, c.Store, c.Warning)
					}
				case "keyring":
					if _, ok := c.Store.(Passthrough); !ok || c.Warning == "" || strings.Contains(c.Warning, "\n") {
						t.Errorf("keyring chose %T, warning %q; want Passthrough and one warning line", c.Store, c.Warning)
					}
				}
			}
			if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("opening wrote %s (%v); only a Put may", file, err)
			}
		})
	}
}

// openGuarded is Open, failing the test if it does not return within
// hangGuard: a hang is the bug these tests exist for.
func openGuarded(t *testing.T, opts Options) (Choice, error) {
	t.Helper()
	type result struct {
		c   Choice
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, err := Open(opts)
		done <- result{c, err}
	}()
	select {
	case r := <-done:
		return r.c, r.err
	case <-time.After(keyringtest.HangGuard):
		t.Fatalf("Open(%s) hung for %v", opts.Kind, keyringtest.HangGuard)
		return Choice{}, nil
	}
}

// auto on a working Secret Service picks it. How long that takes is measured
// by BenchmarkSecretService/OpenAuto, not asserted here.
func TestOpenAutoPicksSecretService(t *testing.T) {
	sessionKeyring(t) // skips or fails without a usable service
	start := time.Now()
	c, err := Open(Options{Kind: "auto", File: filepath.Join(t.TempDir(), "cache.json"), Timeout: 2 * time.Second})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("auto: %s after %v: %s", c.Name, took, c.Reason)
	k, ok := c.Store.(*Keyring)
	if !ok || c.Name != "keyring" || c.Warning != "" {
		t.Fatalf("auto chose %s (%T), warning %q; want the keyring", c.Name, c.Store, c.Warning)
	}
	_ = k.Close()
}

func BenchmarkSecretService(b *testing.B) {
	c, err := Open(Options{Kind: "keyring", File: filepath.Join(b.TempDir(), "cache.json"), Timeout: 2 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	k, ok := c.Store.(*Keyring)
	if !ok {
		b.Skipf("no usable Secret Service: %s", c.Reason)
	}
	defer k.Close()
	key := hex.EncodeToString([]byte("benchmark-key-kube-credential-c"))
	defer k.Delete(key)
	rec := keyringtest.NewRecord(key, "bench @ https://bench", 2000) // about an EKS credential
	b.Run("Put", func(b *testing.B) {
		for b.Loop() {
			if err := k.Put(rec); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Get", func(b *testing.B) {
		for b.Loop() {
			if _, err := k.Get(key); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OpenAuto", func(b *testing.B) {
		for b.Loop() {
			c, err := Open(Options{Kind: "auto", File: "unused.json", Timeout: 2 * time.Second})
			if err != nil || c.Name != "keyring" {
				b.Fatalf("Open: %s (%s) %v", c.Name, c.Reason, err)
			}
			_ = c.Store.(*Keyring).Close()
		}
	})
	// What a kcc-cache hit does with the store: open it lazily (connect),
	// read the item (two round trips), close.
	b.Run("LazyOpenGetClose", func(b *testing.B) {
		for b.Loop() {
			c, err := Open(Options{Kind: "auto", File: "unused.json", Timeout: 2 * time.Second, Lazy: true})
			if err != nil || c.Name != "keyring" {
				b.Fatalf("Open: %s (%s) %v", c.Name, c.Reason, err)
			}
			if _, err := c.Store.Get(key); err != nil {
				b.Fatal(err)
			}
			_ = c.Store.(*LazyKeyring).Close()
		}
	})
}
