package backend

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// vault is what each operating system's secret store must offer; one
// build-tagged file per OS opens it (vault_secretservice_linux.go,
// vault_keychain_darwin.go, vault_wincred_windows.go). It moves opaque
// blobs: the record layout is the Keyring's business, so every OS stores
// the same thing.
type vault interface {
	// Get returns the blob stored under key, or an error wrapping
	// fs.ErrNotExist.
	Get(key string) ([]byte, error)
	// Set stores data under key, labelled label, replacing any previous item.
	Set(key, label string, data []byte) error
	// Remove deletes the items of keys; absent keys are not an error.
	Remove(keys ...string) error
	// List returns the blobs of this program's items only, by key.
	List() (map[string][]byte, error)
	// MaxBlob is the largest blob the store accepts, 0 when unbounded.
	MaxBlob() int
	// Name says which store this is, for --info ("Secret Service", ...).
	Name() string
	Close() error
}

// routedVault is a vault that can read through another process (the Secret
// Service agent) and says which way the last read went, for debug output.
type routedVault interface {
	Route() string
}

// itemLabelPrefix starts the label of every item we create, so that a human
// browsing Seahorse, Keychain Access or Credential Manager knows whose it is.
const itemLabelPrefix = "kube-credential-cache: "

// Keyring is a Store that keeps each record as one item of the
// operating system's secret store. Records too large for that store go to an
// overflow File instead, so an oversize credential costs plaintext for that
// one entry rather than an error in kubectl; Get, List and Delete consult both.
type Keyring struct {
	vault    vault
	overflow *filestore.File
	// limit is the largest blob kept in the vault; tests lower it to exercise
	// the overflow path against a real store that has no limit of its own.
	limit int
	// prunes says whether this Put should also drop expired items; see prune.
	prunes func() bool
	now    func() time.Time
	debugf func(format string, args ...any)
}

func newKeyring(v vault, overflow *filestore.File, debugf func(string, ...any)) *Keyring {
	if debugf == nil {
		debugf = func(string, ...any) {}
	}
	return &Keyring{vault: v, overflow: overflow, limit: v.MaxBlob(), prunes: oneIn(pruneOdds), now: time.Now, debugf: debugf}
}

// Get returns the record for key from the secret store, or from the overflow
// file when the store has none.
func (k *Keyring) Get(key string) (record.Record, error) {
	data, err := k.vault.Get(key)
	if err == nil {
		rec, derr := blob.Decode(key, data)
		if derr == nil {
			if r, ok := k.vault.(routedVault); ok {
				k.debugf("keyring: item %.12s read %s", key, r.Route())
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
	data := blob.Encode(rec)
	if k.limit > 0 && len(data) > k.limit {
		k.debugf("keyring: entry %.12s needs %d bytes, over the %s limit of %d; storing it in %s",
			rec.Key, len(data), k.vault.Name(), k.limit, k.overflow.Path)
		if err := k.overflow.Put(rec); err != nil {
			return err
		}
		return k.vault.Remove(rec.Key)
	}
	if err := k.vault.Set(rec.Key, itemLabelPrefix+rec.Label, data); err != nil {
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
	Prune(expired func(data []byte) bool) (int, error)
}

// prune deletes expired items, as the file backend does on its writes. It
// runs after a Put, which follows a plugin run that took far longer, so the
// extra round trips go unnoticed; a failure only leaves stale items behind.
func (k *Keyring) prune() {
	now := k.now()
	expired := func(data []byte) bool {
		rec, err := blob.Decode("", data)
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
		return p.Prune(expired)
	}
	items, err := k.vault.List()
	if err != nil {
		return 0, err
	}
	var keys []string
	for key, data := range items {
		if expired(data) {
			keys = append(keys, key)
		}
	}
	if len(keys) == 0 {
		return 0, nil
	}
	return len(keys), k.vault.Remove(keys...)
}

// Delete removes keys from the secret store and the overflow file.
func (k *Keyring) Delete(keys ...string) error {
	if err := k.vault.Remove(keys...); err != nil {
		return err
	}
	return k.overflow.Delete(keys...)
}

// List returns this program's records from the secret store and the overflow
// file, ordered by key. Other programs' items in the same store are not read.
func (k *Keyring) List() ([]record.Record, error) {
	items, err := k.vault.List()
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
	for key, data := range items {
		rec, err := blob.Decode(key, data)
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
	Usable() error
}

// usable reports why the store cannot hold our items, or nil.
func (k *Keyring) usable() error {
	if p, ok := k.vault.(prober); ok {
		return p.Usable()
	}
	return nil
}

// Describe names the secret store in use, for --info.
func (k *Keyring) Describe() string {
	return k.vault.Name()
}

// Close releases the connection to the secret store. A kcc-cache process
// need not call it (exiting does the same); long-lived callers and tests do.
func (k *Keyring) Close() error {
	return k.vault.Close()
}
