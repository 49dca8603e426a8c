package cache

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Listing describes one cache entry without its credential.
type Listing struct {
	Key        string    `json:"key"`
	User       string    `json:"user,omitempty"`
	Server     string    `json:"server,omitempty"`
	Command    string    `json:"command,omitempty"`
	APIVersion string    `json:"apiVersion,omitempty"`
	Expires    time.Time `json:"expires"`
	Label      string    `json:"label,omitempty"`
}

// List describes every entry in store, soonest expiry first. Entries this
// version cannot read are listed with what the store knows, so that they can
// still be found and cleared.
func List(store Store) ([]Listing, error) {
	recs, err := store.List()
	if err != nil {
		return nil, err
	}
	out := make([]Listing, 0, len(recs))
	for _, r := range recs {
		l := Listing{Key: r.Key, Expires: r.Expires, Label: r.Label}
		if e, err := decodeEntry(r); err == nil {
			l.User, l.Server, l.Command, l.APIVersion, l.Expires = e.User, e.Server, e.Command, e.APIVersion, e.Expires
		}
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Expires.Before(out[j].Expires) })
	return out, nil
}

// Clear deletes the entry whose key starts with prefix, or every entry when
// prefix is empty, and returns how many it deleted. A prefix that matches
// several entries is refused rather than guessed.
func Clear(store Store, prefix string) (int, error) {
	recs, err := store.List()
	if err != nil {
		return 0, err
	}
	var keys []string
	for _, r := range recs {
		if strings.HasPrefix(r.Key, prefix) {
			keys = append(keys, r.Key)
		}
	}
	switch {
	case prefix != "" && len(keys) == 0:
		return 0, fmt.Errorf("no cache entry with key %q (see --list)", prefix)
	case prefix != "" && len(keys) > 1:
		return 0, fmt.Errorf("key %q matches %d entries; give more of it", prefix, len(keys))
	case len(keys) == 0:
		return 0, nil
	}
	if err := store.Delete(keys...); err != nil {
		return 0, err
	}
	return len(keys), nil
}
