package backend

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/keyringtest"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// mapVault is an in-memory vault shaped like WinCred (a size limit, no
// pruner), for the store logic shared by every OS. The Secret Service
// itself is tested for real in secretservice_linux_test.go and pkg/backend/secretservice.
type mapVault struct {
	items map[string][]byte
	limit int
}

func (m *mapVault) Get(key string) ([]byte, error) {
	b, ok := m.items[key]
	if !ok {
		return nil, fmt.Errorf("no item: %w", fs.ErrNotExist)
	}
	return b, nil
}

func (m *mapVault) Set(key, _ string, blob []byte) error {
	if m.limit > 0 && len(blob) > m.limit {
		return errors.New("blob over the limit reached the vault")
	}
	m.items[key] = blob
	return nil
}

func (m *mapVault) Remove(keys ...string) error {
	for _, k := range keys {
		delete(m.items, k)
	}
	return nil
}

func (m *mapVault) List() (map[string][]byte, error) { return m.items, nil }
func (m *mapVault) MaxBlob() int                     { return m.limit }
func (m *mapVault) Name() string                     { return "map" }
func (m *mapVault) Close() error                     { return nil }

func TestKeyringWithSizeLimitedVault(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	v := &mapVault{items: map[string][]byte{}, limit: winCredMaxBlobForTest}
	k := newKeyring(v, filestore.NewFile(filepath.Join(t.TempDir(), "cache.json")), t.Logf)
	k.now = func() time.Time { return now }
	k.prunes = func() bool { return true }
	rec := func(key string, size int, ttl time.Duration) record.Record {
		r := keyringtest.NewRecord(key, "u @ s", size)
		r.Expires = now.Add(ttl)
		return r
	}

	steps := []struct {
		name      string
		put       record.Record
		wantVault []string // keys in the vault afterwards
	}{
		{"fits", rec("a", 100, time.Hour), []string{"a"}},
		{"EKS-sized credential overflows", rec("b", 2600, time.Hour), []string{"a"}},
		{"expired item is pruned by the next Put", rec("c", 10, -time.Minute), []string{"a"}},
		{"overflowed key fits again", rec("b", 10, time.Hour), []string{"a", "b"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := k.Put(st.put); err != nil {
				t.Fatalf("Put: %v", err)
			}
			if len(v.items) != len(st.wantVault) {
				t.Errorf("vault holds %d items, want %v", len(v.items), st.wantVault)
			}
			for _, key := range st.wantVault {
				if _, ok := v.items[key]; !ok {
					t.Errorf("vault lacks %q", key)
				}
			}
			if st.put.Expires.After(now) {
				got, err := k.Get(st.put.Key)
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				keyringtest.SameRecord(t, got, st.put)
			}
		})
	}
	if _, err := filestore.NewFile(k.overflow.Path).Get("b"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("b still in the overflow file after it moved back: %v", err)
	}
}

// winCredMaxBlobForTest mirrors winCredMaxBlob, which only Windows builds see.
const winCredMaxBlobForTest = 2560
