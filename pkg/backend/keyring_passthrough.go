package backend

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// Passthrough is the store used when the user asked for the keyring and it
// cannot be used. It keeps nothing: every call is a miss, so kubectl still
// gets its credential straight from the plugin, only slower.
//
// Falling back to the file instead would be faster, but it would write the
// credential in plaintext on a machine whose user said "keyring" precisely to
// avoid that; the speed loss is announced in one warning line and can be
// chosen away with KUBE_CREDENTIAL_CACHE_BACKEND=file or auto.
type Passthrough struct{}

var _ Store = Passthrough{}

// Get always reports a miss.
func (Passthrough) Get(key string) (record.Record, error) {
	return record.Record{}, fmt.Errorf("no entry %.12s (nothing is cached without a usable keyring): %w", key, fs.ErrNotExist)
}

// errNotCached says why a Put kept nothing; the caller already warned once
// that the keyring is unusable, so it shows this only in debug output.
var errNotCached = errors.New("nothing is cached without a usable keyring")

// Put discards rec, and says so: a "stored" debug line would be a lie.
func (Passthrough) Put(record.Record) error { return errNotCached }

// Delete has nothing to remove.
func (Passthrough) Delete(...string) error { return nil }

// List has nothing to show.
func (Passthrough) List() ([]record.Record, error) { return nil, nil }
