package secretservice

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// The item hints (hints_linux.go) against the real Secret
// Service: a hint saves the search on a hit, and no hint, however wrong,
// makes one key's credential another's.

// hintedKeyring is sessionStore, as the tests below name it.
func hintedKeyring(t *testing.T) (store, *Client, string) { return sessionStore(t) }

func hintFile(dir, key string) string {
	return filepath.Join(dir, key)
}

func readHint(t *testing.T, opts string, key string) string {
	t.Helper()
	data, err := os.ReadFile(hintFile(opts, key))
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeHint(t *testing.T, opts string, key, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(hintFile(opts, key)), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hintFile(opts, key), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// itemOf is the path of key's item, by the search a hit without a hint does.
func itemOf(t *testing.T, ss *Client, key string) dbus.ObjectPath {
	t.Helper()
	items, _, err := ss.search(key)
	if err != nil || len(items) != 1 {
		t.Fatalf("search %.12s: %v %v, want one item", key, items, err)
	}
	return items[0]
}

// storeRaw stores secret as key's item exactly as given, as an older
// version of kcc-cache (untagged) or a confused writer would.
func storeRaw(t *testing.T, ss *Client, key string, secret []byte) {
	t.Helper()
	if err := ss.start(); err != nil {
		t.Fatal(err)
	}
	props := map[string]dbus.Variant{
		ssItem + ".Label":      dbus.MakeVariant("kube-credential-cache: raw"),
		ssItem + ".Attributes": dbus.MakeVariant(map[string]string{"service": attrService, "key": key}),
	}
	coll := itemCollection(t, ss)
	if _, err := ss.call(coll, ssCollection+".CreateItem", "a{sv}(oayays)b", props, []any{ss.session, []byte{}, secret, "text/plain"}, true); err != nil {
		t.Fatalf("CreateItem: %v", err)
	}
}

func itemCollection(t *testing.T, ss *Client) dbus.ObjectPath {
	t.Helper()
	if err := ss.Usable(); err != nil {
		t.Fatal(err)
	}
	return ss.collection
}

func TestSecretServiceHintWrittenByPut(t *testing.T) {
	k, ss, opts := hintedKeyring(t)
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	if err := k.Put(keyringtest.NewRecord(key, "u @ s", 10)); err != nil {
		t.Fatal(err)
	}
	if got, want := readHint(t, opts, key), string(itemOf(t, ss, key)); got != want {
		t.Fatalf("hint %q, want the item's path %q", got, want)
	}
	st, err := os.Stat(hintFile(opts, key))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("hint file: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	if st, err := os.Stat(filepath.Dir(hintFile(opts, key))); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("hint directory: %v; want mode 0700", err)
	}
	if err := k.Delete(key); err != nil {
		t.Fatal(err)
	}
	if got := readHint(t, opts, key); got != "" {
		t.Errorf("hint after Delete: %q, want it gone", got)
	}
}

// A hit goes to the item its hint names without searching: with the item's
// attributes changed so that no search finds it, the hint still serves it.
func TestSecretServiceHitByHintSkipsTheSearch(t *testing.T) {
	k, ss, _ := hintedKeyring(t)
	key := keyringtest.NewKey(t)
	rec := keyringtest.NewRecord(key, "u @ s", 10)
	if err := k.Put(rec); err != nil {
		t.Fatal(err)
	}
	item := itemOf(t, ss, key)
	t.Cleanup(func() { _ = ss.deleteItems([]dbus.ObjectPath{item}) })
	hidden := map[string]string{"service": attrService + "-hidden", "key": key}
	if _, err := ss.call(item, ssProps+".Set", "ssv", ssItem, "Attributes", dbus.MakeVariant(hidden)); err != nil {
		t.Fatalf("setting the item's attributes: %v", err)
	}
	if items, locked, err := ss.search(key); err != nil || len(items)+len(locked) != 0 {
		t.Fatalf("search still finds the item: %v %v %v", items, locked, err)
	}
	got, err := k.Get(key)
	if err != nil {
		t.Fatalf("Get through the hint: %v", err)
	}
	keyringtest.SameRecord(t, got, rec)
}

// The service may give a deleted item's path to a new item of another key.
// A hint that names another key's item is never served from: the hit falls
// back to the search, and the hint is corrected.
func TestSecretServiceHintToAnotherKeysItem(t *testing.T) {
	k, ss, opts := hintedKeyring(t)
	alice, bob := keyringtest.NewKey(t), keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(alice, bob) })
	aliceRec, bobRec := keyringtest.NewRecord(alice, "alice @ s", 10), keyringtest.NewRecord(bob, "bob @ s", 20)
	for _, rec := range []record.Record{aliceRec, bobRec} {
		if err := k.Put(rec); err != nil {
			t.Fatal(err)
		}
	}
	aliceItem, bobItem := itemOf(t, ss, alice), itemOf(t, ss, bob)

	writeHint(t, opts, bob, string(aliceItem))
	got, err := k.Get(bob)
	if err != nil {
		t.Fatal(err)
	}
	keyringtest.SameRecord(t, got, bobRec)
	if h := readHint(t, opts, bob); h != string(bobItem) {
		t.Errorf("bob's hint after the search: %q, want %q", h, bobItem)
	}

	// Bob's item gone (a --clear elsewhere, say), his hint at Alice's item:
	// a miss, not Alice's credential.
	if err := ss.deleteItems([]dbus.ObjectPath{bobItem}); err != nil {
		t.Fatal(err)
	}
	writeHint(t, opts, bob, string(aliceItem))
	if got, err := k.Get(bob); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Get of a key whose hint names another key's item: %.12s (%v), want fs.ErrNotExist", got.Key, err)
	}
	if h := readHint(t, opts, bob); h != "" {
		t.Errorf("bob's hint after a miss: %q, want it removed", h)
	}
}

// Hints that are stale, malformed or name something else cost a search,
// nothing more.
func TestSecretServiceUselessHints(t *testing.T) {
	k, _, opts := hintedKeyring(t)
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	rec := keyringtest.NewRecord(key, "u @ s", 10)
	if err := k.Put(rec); err != nil {
		t.Fatal(err)
	}
	good := readHint(t, opts, key)
	for _, hint := range []string{
		"/org/freedesktop/secrets/collection/login/999999", // no such item
		"/org/freedesktop/secrets",                         // the service itself
		"/org/freedesktop/DBus",                            // not the service's
		"../../../etc/passwd",
		"/org/freedesktop/secrets/collection/login/1\n",
		"",
		strings.Repeat("/a", 5000),
	} {
		writeHint(t, opts, key, hint)
		got, err := k.Get(key)
		if err != nil {
			t.Fatalf("Get with hint %.40q: %v", hint, err)
		}
		keyringtest.SameRecord(t, got, rec)
		if h := readHint(t, opts, key); h != good {
			t.Errorf("hint after a search past %.40q: %q, want %q", hint, h, good)
		}
	}
}

// Items written before secrets were tagged are read through the search,
// and a Put replaces them with tagged ones.
func TestSecretServiceUntaggedItem(t *testing.T) {
	k, ss, opts := hintedKeyring(t)
	key := keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	old := keyringtest.NewRecord(key, "u @ s", 10)
	storeRaw(t, ss, key, blob.Encode(old))

	got, err := k.Get(key)
	if err != nil {
		t.Fatalf("Get of an untagged item: %v", err)
	}
	keyringtest.SameRecord(t, got, old)
	if h := readHint(t, opts, key); h != "" {
		t.Errorf("hint for an untagged item: %q, want none (it could not be checked)", h)
	}
	if !listed(t, k, key) {
		t.Errorf("List does not show the untagged item")
	}

	fresh := keyringtest.NewRecord(key, "u @ s", 20)
	if err := k.Put(fresh); err != nil {
		t.Fatal(err)
	}
	if h := readHint(t, opts, key); h == "" {
		t.Errorf("no hint after the Put that replaced the untagged item")
	}
	got, err = k.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	keyringtest.SameRecord(t, got, fresh)
}

// An item found by its key attribute whose secret is tagged with another
// key is not served: it is a miss, which the caller's Put repairs.
func TestSecretServiceItemTaggedForAnotherKey(t *testing.T) {
	k, ss, _ := hintedKeyring(t)
	key, other := keyringtest.NewKey(t), keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(key) })
	storeRaw(t, ss, key, Tag(other, blob.Encode(keyringtest.NewRecord(other, "other", 10))))
	if got, err := k.Get(key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Get: %.12s (%v), want fs.ErrNotExist", got.Key, err)
	}
	if listed(t, k, key) {
		t.Errorf("List shows an item whose secret is another key's")
	}
	rec := keyringtest.NewRecord(key, "u @ s", 10)
	if err := k.Put(rec); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	keyringtest.SameRecord(t, got, rec)
}

func TestSecretServicePruneDropsHints(t *testing.T) {
	k, _, opts := hintedKeyring(t)
	old, fresh := keyringtest.NewKey(t), keyringtest.NewKey(t)
	t.Cleanup(func() { _ = k.Delete(old, fresh) })
	expired := keyringtest.NewRecord(old, "old", 1)
	expired.Expires = time.Now().Add(-time.Minute)
	if err := k.Put(expired); err != nil {
		t.Fatal(err)
	}
	if readHint(t, opts, old) == "" {
		t.Fatal("no hint after Put")
	}
	// A temp file of a writer killed before its rename, an hour ago.
	tmp := filepath.Join(filepath.Dir(hintFile(opts, old)), ".x.tmp-1")
	if err := os.WriteFile(tmp, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	hourAgo := time.Now().Add(-time.Hour)
	if err := os.Chtimes(tmp, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	if err := k.Put(keyringtest.NewRecord(fresh, "fresh", 1)); err != nil {
		t.Fatal(err)
	}
	k.pruneExpired(t)
	if h := readHint(t, opts, old); h != "" {
		t.Errorf("hint of a pruned item: %q, want it removed", h)
	}
	if readHint(t, opts, fresh) == "" {
		t.Errorf("the fresh item lost its hint")
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old temp file in the hint directory: %v, want it swept", err)
	}
}
