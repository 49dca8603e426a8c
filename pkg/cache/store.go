package cache

import "github.com/IvMisticos/kube-credential-cache/pkg/record"

// Store keeps records by key. Get reports a missing record with an error that
// wraps fs.ErrNotExist. Put must be atomic: a concurrent Get sees the old record
// or the new one, never a mix, and concurrent Puts of different keys from
// different processes must not lose each other.
type Store interface {
	Get(key string) (record.Record, error)
	Put(rec record.Record) error
	Delete(keys ...string) error
	List() ([]record.Record, error)
}
