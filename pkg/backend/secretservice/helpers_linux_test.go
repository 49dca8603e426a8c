package secretservice

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
)

// store uses a Client as the Keyring does (Records), and gives the tests
// the Client's other calls.
type store struct {
	keyringtest.Records
	c *Client
}

// pruneExpired prunes as the Keyring does: what has expired or does not
// decode goes.
func (s store) pruneExpired(t *testing.T) {
	t.Helper()
	now := time.Now()
	if _, err := s.c.Prune(func(b []byte) bool {
		rec, err := blob.Decode("", b)
		return err != nil || !rec.Expires.After(now)
	}); err != nil {
		t.Fatal(err)
	}
}

// listed reports whether List shows key's item, with a blob that decodes.
func listed(t *testing.T, s store, key string) bool {
	t.Helper()
	items, err := s.c.List()
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
	return store{keyringtest.Records{Blobs: c}, c}, c, dir
}
