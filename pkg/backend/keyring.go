package backend

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// vault is what each operating system's secret store must offer; one
// build-tagged file per OS implements it (secretservice_linux.go,
// keychain_darwin.go, wincred_windows.go). It moves opaque blobs: the record
// layout is this file's business, so every OS stores the same thing.
type vault interface {
	// get returns the blob stored under key, or an error wrapping
	// fs.ErrNotExist.
	get(key string) ([]byte, error)
	// set stores blob under key, replacing any previous item.
	set(key, label string, blob []byte) error
	// remove deletes the items of keys; absent keys are not an error.
	remove(keys ...string) error
	// list returns the blobs of this program's items only, by key.
	list() (map[string][]byte, error)
	// maxBlob is the largest blob the store accepts, 0 when unbounded.
	maxBlob() int
	// name says which store this is, for --info ("Secret Service", ...).
	name() string
	close() error
}

// routedVault is a vault that can read through another process (the Secret
// Service agent) and says which way the last read went, for debug output.
type routedVault interface {
	route() string
}

// Keyring is a Store that keeps each record as one item of the
// operating system's secret store. Records too large for that store go to an
// overflow File instead, so an oversize credential costs plaintext for that
// one entry rather than an error in kubectl; Get, List and Delete consult both.
type Keyring struct {
	vault    vault
	overflow *File
	// limit is the largest blob kept in the vault; tests lower it to exercise
	// the overflow path against a real store that has no limit of its own.
	limit int
	// prunes says whether this Put should also drop expired items; see prune.
	prunes func() bool
	now    func() time.Time
	debugf func(format string, args ...any)
}

func newKeyring(v vault, overflow *File, debugf func(string, ...any)) *Keyring {
	if debugf == nil {
		debugf = func(string, ...any) {}
	}
	return &Keyring{vault: v, overflow: overflow, limit: v.maxBlob(), prunes: oneIn(pruneOdds), now: time.Now, debugf: debugf}
}

// Get returns the record for key from the secret store, or from the overflow
// file when the store has none.
func (k *Keyring) Get(key string) (record.Record, error) {
	blob, err := k.vault.get(key)
	if err == nil {
		rec, derr := decodeBlob(key, blob)
		if derr == nil {
			if r, ok := k.vault.(routedVault); ok {
				k.debugf("keyring: item %.12s read %s", key, r.route())
			}
			return rec, nil
		}
		// An item we cannot read is treated as missing: the caller fetches a
		// fresh credential and Put replaces the item, which heals it.
		k.debugf("keyring: item %.12s is unreadable (%v); treating it as missing", key, derr)
		return record.Record{}, fmt.Errorf("keyring item %.12s unreadable: %w", key, fs.ErrNotExist)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return record.Record{}, err
	}
	return k.overflow.Get(key)
}

// Put stores rec in the secret store, or in the overflow file when its item
// would exceed the store's size limit. Only one of the two holds a key at a
// time, so Get never serves an older copy from the other.
func (k *Keyring) Put(rec record.Record) error {
	blob := encodeBlob(rec)
	if k.limit > 0 && len(blob) > k.limit {
		k.debugf("keyring: entry %.12s needs %d bytes, over the %s limit of %d; storing it in %s",
			rec.Key, len(blob), k.vault.name(), k.limit, k.overflow.Path)
		if err := k.overflow.Put(rec); err != nil {
			return err
		}
		return k.vault.remove(rec.Key)
	}
	if err := k.vault.set(rec.Key, rec.Label, blob); err != nil {
		return err
	}
	if err := k.overflow.Delete(rec.Key); err != nil {
		return err
	}
	if k.prunes() {
		k.prune()
	}
	return nil
}

// pruneOdds: one Put in this many prunes. Pruning reads every item of ours,
// and a Secret Service daemon serves one request at a time: when dozens of
// kubectl refresh at once, pruning on every Put made the daemon the
// bottleneck. Expired items are harmless meanwhile (the cache checks expiry
// itself), so they only need to go eventually.
const pruneOdds = 8

func oneIn(n int) func() bool {
	return func() bool { return rand.IntN(n) == 0 }
}

// pruner is met by a vault that can drop expired items more cheaply than
// list-then-remove (the Secret Service: without reading each item's key).
type pruner interface {
	prune(expired func(blob []byte) bool) (int, error)
}

// prune deletes expired items, as the file backend does on its writes. It
// runs after a Put, which follows a plugin run that took far longer, so the
// extra round trips go unnoticed; a failure only leaves stale items behind.
func (k *Keyring) prune() {
	now := k.now()
	expired := func(blob []byte) bool {
		rec, err := decodeBlob("", blob)
		return err != nil || !rec.Expires.After(now)
	}
	n, err := k.pruneVault(expired)
	if err != nil {
		k.debugf("keyring: could not prune expired items: %v", err)
	} else if n > 0 {
		k.debugf("keyring: pruned %d expired items", n)
	}
}

func (k *Keyring) pruneVault(expired func([]byte) bool) (int, error) {
	if p, ok := k.vault.(pruner); ok {
		return p.prune(expired)
	}
	items, err := k.vault.list()
	if err != nil {
		return 0, err
	}
	var keys []string
	for key, blob := range items {
		if expired(blob) {
			keys = append(keys, key)
		}
	}
	if len(keys) == 0 {
		return 0, nil
	}
	return len(keys), k.vault.remove(keys...)
}

// Delete removes keys from the secret store and the overflow file.
func (k *Keyring) Delete(keys ...string) error {
	if err := k.vault.remove(keys...); err != nil {
		return err
	}
	return k.overflow.Delete(keys...)
}

// List returns this program's records from the secret store and the overflow
// file, ordered by key. Other programs' items in the same store are not read.
func (k *Keyring) List() ([]record.Record, error) {
	items, err := k.vault.list()
	if err != nil {
		return nil, err
	}
	byKey := map[string]record.Record{}
	recs, err := k.overflow.List()
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		byKey[r.Key] = r
	}
	for key, blob := range items {
		rec, err := decodeBlob(key, blob)
		if err != nil {
			k.debugf("keyring: skipping unreadable item %.12s: %v", key, err)
			continue
		}
		byKey[key] = rec
	}
	recs = make([]record.Record, 0, len(byKey))
	for _, r := range byKey {
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Key < recs[j].Key })
	return recs, nil
}

// prober is met by a vault that connects before it knows whether the store
// can hold items (the Secret Service: the collection may be locked); the
// others are checked when they open.
type prober interface {
	usable() error
}

// usable reports why the store cannot hold our items, or nil.
func (k *Keyring) usable() error {
	if p, ok := k.vault.(prober); ok {
		return p.usable()
	}
	return nil
}

// Describe names the secret store in use, for --info.
func (k *Keyring) Describe() string {
	return k.vault.name()
}

// Close releases the connection to the secret store. A kcc-cache process
// need not call it (exiting does the same); long-lived callers and tests do.
func (k *Keyring) Close() error {
	return k.vault.close()
}
