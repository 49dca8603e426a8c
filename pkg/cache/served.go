package cache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/owner"
)

// servedLog remembers which calling process got which credential, to detect
// client-go's retry after a 401: it runs the plugin again from the same
// process, with the same environment, expecting a different credential.
//
// It is a directory per credential generation holding one empty marker file
// per calling process, so that the hit path pays one O_EXCL create instead of
// a rewrite of the cache (docs/design.md §14), and so that the markers of
// a replaced generation go with one RemoveAll of its own directory, whatever
// the number of other keys. Markers hold no secret: key digest prefix,
// generation, process identity.
//
//	served/<key prefix>-<generation>/<parent>   served markers
//	heal/<key prefix>.<parent>                   a forced refresh, by time
type servedLog struct {
	dir      string // <state dir>/served
	healDir  string // <state dir>/heal
	cooldown time.Duration
	now      func() time.Time
}

const markerKeyLen = 20 // hex digits of the key in a marker name: 80 bits

// markerTTL is how long a served marker is kept. A marker only matters while
// its process may still ask again; kubectl lives seconds, and a long-running
// client that gets a 401 after the marker is gone costs one more 401 before
// the refresh, never a wrong credential.
const markerTTL = 24 * time.Hour

// sweepEvery bounds how often the markers of every key are swept; see sweep.
const sweepEvery = time.Hour

func newServedLog(stateDir string, cooldown time.Duration, now func() time.Time) servedLog {
	if stateDir == "" {
		return servedLog{cooldown: cooldown, now: now}
	}
	return servedLog{dir: filepath.Join(stateDir, "served"), healDir: filepath.Join(stateDir, "heal"), cooldown: cooldown, now: now}
}

func (s servedLog) genDir(key, gen string) string {
	return filepath.Join(s.dir, key[:markerKeyLen]+"-"+gen)
}

// first records that parent was served generation gen of key and reports
// whether this is the first time. Unknown parents and any file system
// trouble count as first: the worst case is then no self-heal, never a
// refresh loop or a failure.
func (s servedLog) first(key, gen, parent string) bool {
	if parent == "" || s.dir == "" {
		return true
	}
	dir := s.genDir(key, gen)
	name := filepath.Join(dir, parent)
	for attempt := 0; attempt < 2; attempt++ {
		err := createMarker(name)
		if err == nil {
			return true
		}
		if errors.Is(err, fs.ErrExist) {
			return false
		}
		if !errors.Is(err, fs.ErrNotExist) || os.MkdirAll(dir, 0o700) != nil {
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
	if s.healDir == "" {
		return false
	}
	name := filepath.Join(s.healDir, key[:markerKeyLen]+"."+parent)
	now := s.now()
	if st, err := os.Lstat(name); err == nil && now.Sub(st.ModTime()) < s.cooldown {
		return false
	}
	f, err := openMarker(name)
	if errors.Is(err, fs.ErrNotExist) && os.MkdirAll(s.healDir, 0o700) == nil {
		f, err = openMarker(name)
	}
	if err != nil {
		return false // cannot bound it, so do not start it
	}
	f.Close()
	return os.Chtimes(name, now, now) == nil
}

// openMarker opens or creates the marker name for writing, never through a
// symbolic link, and only if it is ours (owner.Check): Chtimes on it then
// changes our own file.
func openMarker(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|owner.NoFollow, 0o600)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		err = owner.Check(name, fi)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// forget drops the markers of a generation of key that has been replaced:
// nobody can be served it again.
func (s servedLog) forget(key, gen string) {
	if s.dir == "" || gen == "" {
		return
	}
	_ = os.RemoveAll(s.genDir(key, gen))
}

// maybeSweep sweeps when the last sweep is older than sweepEvery, and says
// whether it did. A key whose credential lives long is never refreshed, so
// forget never runs for it; the sweep is what keeps its markers, one per
// kubectl process, from piling up.
func (s servedLog) maybeSweep() bool {
	if s.dir == "" {
		return false
	}
	stamp := filepath.Join(s.dir, ".swept")
	now := s.now()
	if st, err := os.Lstat(stamp); err == nil && now.Sub(st.ModTime()) < sweepEvery && st.ModTime().Before(now.Add(time.Minute)) {
		return false
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return false
	}
	// Claim the sweep first, so that of many processes few sweep at once
	// (several sweeping is harmless).
	f, err := openMarker(stamp)
	if err != nil {
		return false
	}
	f.Close()
	_ = os.Chtimes(stamp, now, now)
	s.sweep(now)
	return true
}

// sweep removes served markers older than markerTTL (whole generation
// directories when nothing in them is younger) and heal markers whose
// cool-down is over. It also removes the flat marker files of the earlier
// layout once they are as old.
func (s servedLog) sweep(now time.Time) {
	old := func(de fs.DirEntry) bool {
		info, err := de.Info()
		return err == nil && now.Sub(info.ModTime()) > markerTTL+s.cooldown
	}
	ents, _ := os.ReadDir(s.dir)
	for _, de := range ents {
		name := filepath.Join(s.dir, de.Name())
		switch {
		case de.Name() == ".swept":
		case old(de):
			// A directory's time changes when a marker is created in it, so
			// an old one holds only old markers.
			_ = os.RemoveAll(name)
		case de.IsDir():
			markers, _ := os.ReadDir(name)
			for _, m := range markers {
				if old(m) {
					os.Remove(filepath.Join(name, m.Name()))
				}
			}
		}
	}
	heals, _ := os.ReadDir(s.healDir)
	for _, de := range heals {
		if info, err := de.Info(); err == nil && now.Sub(info.ModTime()) > s.cooldown+time.Minute {
			os.Remove(filepath.Join(s.healDir, de.Name()))
		}
	}
}
