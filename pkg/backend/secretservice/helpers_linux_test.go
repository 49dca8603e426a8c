package secretservice

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// store is a Client used as the Keyring uses it: records in and out.
type store struct{ *Client }

func (s store) Put(rec record.Record) error {
	return s.Set(rec.Key, "kube-credential-cache: "+rec.Label, blob.Encode(rec))
}

func (s store) Get(key string) (record.Record, error) {
	b, err := s.Client.Get(key)
	if err != nil {
		return record.Record{}, err
	}
	rec, err := blob.Decode(key, b)
	if err != nil {
		return record.Record{}, fmt.Errorf("item %.12s unreadable (%v): %w", key, err, fs.ErrNotExist)
	}
	return rec, nil
}

func (s store) Delete(keys ...string) error { return s.Remove(keys...) }

// pruneExpired prunes as the Keyring does: what has expired or does not
// decode goes.
func (s store) pruneExpired(t *testing.T) {
	t.Helper()
	now := time.Now()
	if _, err := s.Prune(func(b []byte) bool {
		rec, err := blob.Decode("", b)
		return err != nil || !rec.Expires.After(now)
	}); err != nil {
		t.Fatal(err)
	}
}

// listed reports whether List shows key's item, with a blob that decodes.
func listed(t *testing.T, s store, key string) bool {
	t.Helper()
	items, err := s.List()
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	b, ok := items[key]
	if !ok {
		return false
	}
	_, err = blob.Decode(key, b)
	return err == nil
}

// sessionStore opens the Secret Service of the surrounding session bus,
// with its hints in a state directory of the test's own, and returns the
// store, its client and the hint directory.
func sessionStore(t *testing.T) (store, *Client, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kube-credential-cache", "cache.json.d", "items")
	c, err := Open(Options{Bound: 2 * time.Second, HintDir: dir})
	if err != nil {
		keyringtest.Require(t, "no session bus: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Usable(); err != nil {
		keyringtest.Require(t, "no usable Secret Service: %v", err)
	}
	return store{c}, c, dir
}
