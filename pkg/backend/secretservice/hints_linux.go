package secretservice

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/dbus"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
)

// itemHints remembers, one file per key, the object path of the key's item,
// so that a hit reads the secret without searching for it first: one round
// trip to the Secret Service fewer on every hit. A hint holds no secret, and
// a wrong or stale one costs the search it would have saved, never a wrong
// credential (see secretTag). Hints go when their items do (remove, prune);
// any left over are bounded by the keys ever stored.
type itemHints struct {
	dir string
}

// ItemPathPrefix: the service's items live under it; a hint (or a request
// to the agent) naming anything else was not written by us and is ignored.
const ItemPathPrefix = "/org/freedesktop/secrets/"

// maxHintSize bounds the read of a hint: an item's object path.
const maxHintSize = 4 << 10

func (h itemHints) read(key string) (dbus.ObjectPath, bool) {
	if h.dir == "" || !privatefile.ValidName(key) {
		return "", false
	}
	data, err := privatefile.ReadFile(filepath.Join(h.dir, key), maxHintSize)
	if err != nil {
		return "", false
	}
	path := string(data)
	if !strings.HasPrefix(path, ItemPathPrefix) || !dbus.ValidPath(path) {
		return "", false
	}
	return dbus.ObjectPath(path), true
}

// write records item as key's; failing to is harmless (the next hit
// searches), so errors are dropped.
func (h itemHints) write(key string, item dbus.ObjectPath) {
	if h.dir == "" || !privatefile.ValidName(key) || !strings.HasPrefix(string(item), ItemPathPrefix) || !dbus.ValidPath(string(item)) {
		return
	}
	if old, ok := h.read(key); ok && old == item {
		return
	}
	if err := privatefile.EnsureDir(filepath.Dir(filepath.Dir(h.dir))); err != nil {
		return
	}
	if err := os.MkdirAll(h.dir, 0o700); err != nil {
		return
	}
	_ = privatefile.WriteFile(filepath.Join(h.dir, key), []byte(item))
}

func (h itemHints) remove(key string) {
	if h.dir == "" || !privatefile.ValidName(key) {
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
