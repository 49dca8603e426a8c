package keyringtest

import (
	"fmt"
	"io/fs"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// Blobs is what the Keyring uses of a Secret Service client or an agent's
// vault.
type Blobs interface {
	Get(key string) ([]byte, error)
	Set(key, label string, b []byte) error
	Remove(keys ...string) error
}

// Records uses Blobs as the Keyring does: records in and out.
type Records struct{ Blobs }

func (s Records) Put(rec record.Record) error {
	return s.Set(rec.Key, "kube-credential-cache: "+rec.Label, blob.Encode(rec))
}

func (s Records) Get(key string) (record.Record, error) {
	b, err := s.Blobs.Get(key)
	if err != nil {
		return record.Record{}, err
	}
	rec, err := blob.Decode(key, b)
	if err != nil {
		return record.Record{}, fmt.Errorf("item %.12s unreadable (%v): %w", key, err, fs.ErrNotExist)
	}
	return rec, nil
}

func (s Records) Delete(keys ...string) error { return s.Remove(keys...) }
