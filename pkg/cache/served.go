package cache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// servedLog remembers which calling process got which credential, to detect
// client-go's retry after a 401: it runs the plugin again from the same
// process, with the same environment, expecting a different credential.
//
// It is a directory of empty marker files so that the hit path pays one
// O_EXCL create (tens of microseconds) instead of a rewrite of the cache.
// Markers hold no secret: key digest prefix, generation, process identity.
type servedLog struct {
	dir      string
	cooldown time.Duration
	now      func() time.Time
}

const markerKeyLen = 20 // hex digits of the key in a marker name: 80 bits

// first records that parent was served generation gen of key and reports
// whether this is the first time. Unknown parents and any file system
// trouble count as first: the worst case is then no self-heal, never a
// refresh loop or a failure.
func (s servedLog) first(key, gen, parent string) bool {
	if parent == "" || s.dir == "" {
		return true
	}
	name := filepath.Join(s.dir, key[:markerKeyLen]+"."+gen+"."+parent)
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close()
			return true
		}
		if errors.Is(err, fs.ErrExist) {
			return false
		}
		if !errors.Is(err, fs.ErrNotExist) || os.MkdirAll(s.dir, 0o700) != nil {
			return true
		}
	}
	return true
}

// mayHeal reports whether parent may force a refresh of key now, and if so
// uses up its allowance for the cool-down. The bound is what keeps a shell
// loop or a client that legitimately asks many times from running the
// plugin on every call.
func (s servedLog) mayHeal(key, parent string) bool {
	name := filepath.Join(s.dir, key[:markerKeyLen]+".heal."+parent)
	now := s.now()
	if st, err := os.Stat(name); err == nil && now.Sub(st.ModTime()) < s.cooldown {
		return false
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return false // cannot bound it, so do not start it
	}
	f.Close()
	return os.Chtimes(name, now, now) == nil
}

// prune drops the markers of key's older generations and any marker older
// than a day; it runs only after a refresh, never on the hit path.
func (s servedLog) prune(key, gen string) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	prefix := key[:markerKeyLen] + "."
	now := s.now()
	for _, de := range ents {
		name := de.Name()
		stale := false
		if strings.HasPrefix(name, prefix) {
			rest := name[len(prefix):]
			stale = !strings.HasPrefix(rest, gen+".") && !strings.HasPrefix(rest, "heal.")
		}
		if !stale {
			if info, err := de.Info(); err == nil {
				stale = now.Sub(info.ModTime()) > 24*time.Hour+s.cooldown
			}
		}
		if stale {
			os.Remove(filepath.Join(s.dir, name))
		}
	}
}
