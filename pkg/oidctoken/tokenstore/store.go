// Package tokenstore keeps kcc-oidc's id_token and refresh_token in kcc's
// backend (the OS secret store, or 0600 files), one record per Identity.
package tokenstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// Backend is what the store needs of pkg/backend's stores.
type Backend interface {
	Get(key string) (record.Record, error)
	Put(rec record.Record) error
	Delete(keys ...string) error
	List() ([]record.Record, error)
}

// Tokens are what one login leaves.
type Tokens struct {
	IDToken      string    `json:"id_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry"` // the id_token's exp
}

// labelPrefix starts the label of every record of kcc-oidc; clean finds its
// records by it (the secret store also holds kcc-cache's).
const labelPrefix = "kcc-oidc: "

// kind marks the value, so that a record is never read as another's.
const kind = "kcc-oidc/tokens"

// RefreshRetention is how long a record with a refresh token is kept after it
// was written: providers keep refresh tokens for days or weeks and do not say
// how long, and a store may prune a record once past its Expires.
const RefreshRetention = 30 * 24 * time.Hour

// Store reads and writes Tokens in a Backend.
type Store struct {
	Backend Backend
	Now     func() time.Time
}

type value struct {
	Kind string `json:"kind"`
	Tokens
}

// Load returns the tokens stored for id; ok is false when there are none
// (or the record cannot be read, which a new login heals).
func (s Store) Load(id Identity) (t Tokens, ok bool, err error) {
	rec, err := s.Backend.Get(id.Key())
	if errors.Is(err, fs.ErrNotExist) {
		return Tokens{}, false, nil
	}
	if err != nil {
		return Tokens{}, false, fmt.Errorf("could not read the token store: %w", err)
	}
	var v value
	if json.Unmarshal(rec.Value, &v) != nil || v.Kind != kind || v.IDToken == "" {
		return Tokens{}, false, nil
	}
	return v.Tokens, true, nil
}

// Save stores t for id, replacing what was there.
func (s Store) Save(id Identity, t Tokens) error {
	b, err := json.Marshal(value{Kind: kind, Tokens: t})
	if err != nil {
		return err
	}
	expires := t.Expiry
	if t.RefreshToken != "" {
		expires = later(expires, s.Now().Add(RefreshRetention))
	}
	rec := record.Record{Key: id.Key(), Label: labelPrefix + id.IssuerURL + " " + id.ClientID, Expires: expires, Value: b}
	if err := s.Backend.Put(rec); err != nil {
		return fmt.Errorf("could not write the token store: %w", err)
	}
	return nil
}

// Delete removes the tokens of id (absent is not an error).
func (s Store) Delete(id Identity) error {
	return s.Backend.Delete(id.Key())
}

// Clean removes every record of kcc-oidc and returns how many.
func (s Store) Clean() (int, error) {
	recs, err := s.Backend.List()
	if err != nil {
		return 0, fmt.Errorf("could not list the token store: %w", err)
	}
	var keys []string
	for _, r := range recs {
		if strings.HasPrefix(r.Label, labelPrefix) {
			keys = append(keys, r.Key)
		}
	}
	if len(keys) == 0 {
		return 0, nil
	}
	if err := s.Backend.Delete(keys...); err != nil {
		return 0, fmt.Errorf("could not delete from the token store: %w", err)
	}
	return len(keys), nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
