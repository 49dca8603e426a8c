package backend

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
)

// secretTag starts every secret this client writes to the Secret Service:
// "kcck <key>\n", then the blob. It is what lets a hit go straight to an
// item by a remembered path (itemHints) and still never serve another key's
// credential: the service may hand a deleted item's path to a new item, and
// the path alone proves nothing. Items written before the tag existed are
// still read through the search, which matches them by their attributes.
const secretTag = "kcck "

func tagSecret(key string, blob []byte) []byte {
	out := make([]byte, 0, len(secretTag)+len(key)+1+len(blob))
	out = append(out, secretTag...)
	out = append(out, key...)
	out = append(out, '\n')
	return append(out, blob...)
}

// untagSecret splits a secret into the key it was written for ("" for an
// untagged one) and the blob.
func untagSecret(secret []byte) (key string, blob []byte) {
	rest, ok := bytes.CutPrefix(secret, []byte(secretTag))
	if !ok {
		return "", secret
	}
	k, blob, ok := bytes.Cut(rest, []byte{'\n'})
	if !ok || !validKey(string(k)) {
		return "", secret
	}
	return string(k), blob
}

// itemHints remembers, one file per key, the object path of the key's item,
// so that a hit reads the secret without searching for it first: one round
// trip to the Secret Service fewer on every hit. A hint holds no secret, and
// a wrong or stale one costs the search it would have saved, never a wrong
// credential (see secretTag). Hints go when their items do (remove, prune);
// any left over are bounded by the keys ever stored.
type itemHints struct {
	dir string
}

// hintPathPrefix: the service's items live under it; a hint naming anything
// else was not written by us and is ignored.
const hintPathPrefix = "/org/freedesktop/secrets/"

func (h itemHints) read(key string) (dbus.ObjectPath, bool) {
	if h.dir == "" || !validKey(key) {
		return "", false
	}
	data, err := readPrivate(filepath.Join(h.dir, key))
	if err != nil {
		return "", false
	}
	path := string(data)
	if !strings.HasPrefix(path, hintPathPrefix) || !dbus.ValidPath(path) {
		return "", false
	}
	return dbus.ObjectPath(path), true
}

// write records item as key's; failing to is harmless (the next hit
// searches), so errors are dropped.
func (h itemHints) write(key string, item dbus.ObjectPath) {
	if h.dir == "" || !validKey(key) || !strings.HasPrefix(string(item), hintPathPrefix) || !dbus.ValidPath(string(item)) {
		return
	}
	if old, ok := h.read(key); ok && old == item {
		return
	}
	if err := ensurePrivateDir(filepath.Dir(filepath.Dir(h.dir))); err != nil {
		return
	}
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		return
	}
	_ = writeAtomic(filepath.Join(h.dir, key), []byte(item))
}

func (h itemHints) remove(key string) {
	if h.dir == "" || !validKey(key) {
		return
	}
	_ = os.Remove(filepath.Join(h.dir, key))
}

// sweep removes the temp files of writers killed between create and rename.
// A young one may be another writer's, about to be renamed.
func (h itemHints) sweep(now time.Time) {
	ents, err := os.ReadDir(h.dir)
	if err != nil {
		return
	}
	for _, de := range ents {
		if !strings.HasPrefix(de.Name(), ".") {
			continue
		}
		if info, err := de.Info(); err == nil && now.Sub(info.ModTime()) > time.Minute {
			_ = os.Remove(filepath.Join(h.dir, de.Name()))
		}
	}
}
