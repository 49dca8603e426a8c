package backend

import (
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// LazyKeyring is the secret store as the proxy opens it: reachable, but not
// yet checked for use. A hit needs no check, since reading the item's secret
// proves the store works; only a call that is not a hit asks whether the
// store can hold items (on Linux: is the default collection unlocked?) and,
// if not, goes to the fallback from then on — the file for auto, nothing for
// an explicit keyring — exactly as Open would have chosen up front.
//
// This is what keeps a Secret Service hit at two round trips: checking the
// lock state on every call cost a third, for an answer only a miss needs.
type LazyKeyring struct {
	keyring  *Keyring
	fallback Store
	unusable func(error) // told once, when the check fails
	checked  bool
	broken   bool
}

// Get returns the keyring's record; anything but a hit is checked, and a
// store that turns out unusable is left for the fallback.
func (l *LazyKeyring) Get(key string) (record.Record, error) {
	if l.broken {
		return l.fallback.Get(key)
	}
	rec, err := l.keyring.Get(key)
	if err == nil || l.usable() {
		return rec, err
	}
	return l.fallback.Get(key)
}

// Put stores rec in the keyring, or in the fallback if it is unusable.
func (l *LazyKeyring) Put(rec record.Record) error {
	if !l.usable() {
		return l.fallback.Put(rec)
	}
	return l.keyring.Put(rec)
}

// Delete removes keys from the keyring, or from the fallback.
func (l *LazyKeyring) Delete(keys ...string) error {
	if !l.usable() {
		return l.fallback.Delete(keys...)
	}
	return l.keyring.Delete(keys...)
}

// List lists the keyring's records, or the fallback's.
func (l *LazyKeyring) List() ([]record.Record, error) {
	if !l.usable() {
		return l.fallback.List()
	}
	return l.keyring.List()
}

func (l *LazyKeyring) usable() bool {
	if !l.checked {
		l.checked = true
		if err := l.keyring.usable(); err != nil {
			l.broken = true
			_ = l.keyring.Close()
			l.unusable(err)
		}
	}
	return !l.broken
}

// Close releases the connection to the secret store.
func (l *LazyKeyring) Close() error { return l.keyring.Close() }
