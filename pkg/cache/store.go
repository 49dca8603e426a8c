package cache

import "time"

// Record is what a Store keeps for one cache key. Stores treat Value as opaque
// bytes: only this package knows that it holds a credential.
type Record struct {
	// Key is the hex sha256 digest of the caller's identity (see Identity.Key).
	Key string
	// Label describes the entry to a human ("<user> @ <server>"); never a secret.
	Label string
	// Expires is when the record stops being useful; stores may prune it after.
	Expires time.Time
	// Value is a JSON document written by this package.
	Value []byte
}

// Store keeps records by key. Get reports a missing record with an error that
// wraps fs.ErrNotExist. Put must be atomic: a concurrent Get sees the old record
// or the new one, never a mix, and concurrent Puts of different keys from
// different processes must not lose each other.
type Store interface {
	Get(key string) (Record, error)
	Put(rec Record) error
	Delete(keys ...string) error
	List() ([]Record, error)
}
