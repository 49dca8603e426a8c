// Package record is the contract between the cache and the stores that keep
// its entries: what one stored entry is. It is a leaf package, so a store
// names the type without linking the proxy that gives its value meaning.
package record

import "time"

// Record is what a store keeps for one cache key. Stores treat Value as
// opaque bytes: only pkg/cache knows that it holds a credential.
type Record struct {
	// Key is the hex sha256 digest of the caller's identity (cache.Identity.Key).
	Key string
	// Label describes the entry to a human ("<user> @ <server>"); never a secret.
	Label string
	// Expires is when the record stops being useful; stores may prune it after.
	Expires time.Time
	// Value is a JSON document written by pkg/cache.
	Value []byte
}
