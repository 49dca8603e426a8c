package cache

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// entry is the Value of a Record. Metadata is kept beside the credential so
// that --list can describe entries without decoding the credential, and so
// that no store needs to know what it holds.
type entry struct {
	// Gen identifies this credential among the ones stored under the key, so
	// the 401 self-heal can tell "asked again for the same one" from "asked
	// for a newer one".
	Gen     string    `json:"gen"`
	Expires time.Time `json:"expires"`
	User    string    `json:"user,omitempty"`
	Server  string    `json:"server,omitempty"`
	Command string    `json:"command,omitempty"`
	// Inputs is the fingerprint of the files the plugin read to pick its
	// identity (package inputs) when it ran: the credential is served only
	// while they still match. Empty for a plugin with none.
	Inputs     string          `json:"inputs,omitempty"`
	APIVersion string          `json:"apiVersion"`
	Status     json.RawMessage `json:"status"`
}

func newGen() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

func decodeEntry(rec record.Record) (entry, error) {
	e, ok := decodeCanonicalEntry(rec.Value)
	if !ok {
		// Not as json.Marshal wrote it (an older version's, or edited by
		// hand): the general decoder judges it.
		e = entry{}
		if err := json.Unmarshal(rec.Value, &e); err != nil {
			return entry{}, fmt.Errorf("cache entry %.12s is unreadable", rec.Key)
		}
	}
	if e.Gen == "" || len(e.Status) == 0 {
		return entry{}, fmt.Errorf("cache entry %.12s is incomplete", rec.Key)
	}
	return e, nil
}

func (e entry) record(key, label string) (record.Record, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return record.Record{}, fmt.Errorf("could not encode cache entry: %w", err)
	}
	return record.Record{Key: key, Label: label, Expires: e.Expires, Value: b}, nil
}
