// Package secrets keeps kcc-connect's secrets (SAML role credentials,
// Rancher tokens) in kcc's store: the backend kcc-cache and kcc-oidc use
// (the OS secret store, else 0600 files in a 0700 directory), chosen by the
// same variables, so the user configures one thing.
package secrets

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// fileEnv names kcc-cache's cache file, whose state directory holds the file
// store's entries.
const fileEnv = contract.EnvPrefix + "_FILE"

// LabelPrefix starts the label of every record of kcc-connect, so that a
// listing of the store tells its records from kcc-cache's and kcc-oidc's.
const LabelPrefix = "kcc-connect: "

// namespace is hashed into every key, so that no key of kcc-connect equals a
// kcc-cache or kcc-oidc key in the same store.
const namespace = "kcc-connect/secrets/v1"

// Store keeps kcc-connect's secrets (SAML role credentials, Rancher tokens) in kcc's store.
type Store struct {
	backend backend.Store
	now     func() time.Time
	warning string
}

// Open opens kcc's store as kcc-cache would (KUBE_CREDENTIAL_CACHE_BACKEND,
// KUBE_CREDENTIAL_CACHE_FILE). debugf, when not nil, receives which store was
// chosen and why; it is never given a secret.
func Open(debugf func(string, ...any)) (*Store, error) {
	kind := os.Getenv(contract.BackendEnv)
	if kind == "" {
		kind = "auto"
	}
	file := os.Getenv(fileEnv)
	if file == "" {
		var err error
		if file, err = filestore.DefaultFile(); err != nil {
			return nil, fmt.Errorf("no secret store location (set %s): %w", fileEnv, err)
		}
	}
	choice, err := backend.Open(backend.Options{Kind: kind, File: file, Debugf: debugf})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", contract.BackendEnv, err)
	}
	if debugf != nil {
		debugf("store %s (%s)", choice.Name, choice.Reason)
	}
	return &Store{backend: choice.Store, now: time.Now, warning: choice.Warning}, nil
}

// New wraps a backend already open (tests, or a caller that opened the
// store itself).
func New(b backend.Store) *Store { return &Store{backend: b, now: time.Now} }

// Warning is the one line for stderr when the store the user chose
// explicitly could not be used ("" when all is well).
func (s *Store) Warning() string { return s.warning }

// Key is the store key of (kind, key): the hex sha256 of both in
// kcc-connect's namespace.
func Key(kind, key string) string {
	canon, _ := json.Marshal([]string{namespace, kind, key})
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

type value struct {
	Kind    string          `json:"kind"`
	Key     string          `json:"key"`
	Expires time.Time       `json:"expires"`
	Value   json.RawMessage `json:"value"`
}

// Load decodes the secret stored under (kind, key) into v. ok is false when
// there is none, it has expired, or it cannot be read (which saving again
// heals).
func (s *Store) Load(kind, key string, v any) (ok bool, err error) {
	rec, err := s.backend.Get(Key(kind, key))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("could not read the secret store: %w", err)
	}
	var stored value
	if json.Unmarshal(rec.Value, &stored) != nil || stored.Kind != kind || stored.Key != key {
		return false, nil
	}
	if !stored.Expires.IsZero() && !s.now().Before(stored.Expires) {
		return false, nil
	}
	if json.Unmarshal(stored.Value, v) != nil {
		return false, nil
	}
	return true, nil
}

// Save stores v under (kind, key) until expires, replacing what was there.
func (s *Store) Save(kind, key string, v any, expires time.Time) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b, err := json.Marshal(value{Kind: kind, Key: key, Expires: expires, Value: raw})
	if err != nil {
		return err
	}
	rec := record.Record{Key: Key(kind, key), Label: LabelPrefix + kind + " " + key, Expires: expires, Value: b}
	if err := s.backend.Put(rec); err != nil {
		return fmt.Errorf("could not write the secret store: %w", err)
	}
	return nil
}

// Delete removes the secret under (kind, key); absent is not an error.
func (s *Store) Delete(kind, key string) error {
	if err := s.backend.Delete(Key(kind, key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("could not delete from the secret store: %w", err)
	}
	return nil
}

// Close releases the store's connection (the secret store's bus).
func (s *Store) Close() error {
	if c, ok := s.backend.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
