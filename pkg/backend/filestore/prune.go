package filestore

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/owner"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/blob"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
)

// pruneEvery is how often a store sweeps the entry directory for expired
// entries and the temp files of killed writers. Sweeping reads every entry,
// so doing it on every store would make a store cost grow with the cache;
// once an hour keeps the directory bounded by the identities used within a
// credential's lifetime plus an hour, at the cost of one stat per store.
const pruneEvery = time.Hour

// pruneStamp is the file whose modification time says when the entry
// directory was last swept; a dot name, so it is never taken for an entry.
const pruneStamp = ".pruned"

// maybePrune sweeps the entry directory when the last sweep is older than
// pruneEvery. Failing to is harmless: the cache never serves an expired
// entry, so stale files only take space until a later sweep.
func (f *File) maybePrune() {
	stamp := filepath.Join(f.Dir, pruneStamp)
	now := f.now()
	if st, err := os.Lstat(stamp); err == nil && now.Sub(st.ModTime()) < f.pruneEvery && st.ModTime().Before(now.Add(time.Minute)) {
		return
	}
	// Claim this sweep before doing it, so that of many processes storing at
	// once, few sweep at the same time (it is safe if several do).
	sf, err := os.OpenFile(stamp, os.O_CREATE|os.O_WRONLY|owner.NoFollow, 0o600)
	if err != nil {
		return
	}
	sf.Close()
	_ = os.Chtimes(stamp, now, now)
	f.prune(now)
}

// prune removes expired or unreadable entries, and the temp files that
// writers killed between create and rename left behind.
func (f *File) prune(now time.Time) {
	ents, err := os.ReadDir(f.Dir)
	if err != nil {
		return
	}
	for _, de := range ents {
		name := de.Name()
		switch {
		case privatefile.ValidName(name):
			f.removeIfExpired(name, now)
		case strings.HasPrefix(name, ".") && name != pruneStamp:
			// A young temp file may be another writer's, about to be renamed.
			if info, err := de.Info(); err == nil && now.Sub(info.ModTime()) > time.Minute {
				os.Remove(filepath.Join(f.Dir, name))
			}
		}
	}
}

// removeIfExpired deletes the entry name if it is expired or unreadable.
func (f *File) removeIfExpired(name string, now time.Time) {
	data, err := readPrivate(filepath.Join(f.Dir, name))
	if err != nil {
		return
	}
	if rec, err := blob.Decode(name, data); err == nil && rec.Expires.After(now) {
		return
	}
	f.removeAside(name, data)
}

// removeAside deletes the entry name if it still holds judged, the content
// it was judged stale by. A writer may replace the entry between that read
// and our delete, and deleting the path then would lose a fresh credential.
// So the entry is first moved aside, which takes whatever is there at that
// instant, and if what was moved is not what was judged, it is put back,
// unless an even newer one has been written in the meantime.
func (f *File) removeAside(name string, judged []byte) {
	path := filepath.Join(f.Dir, name)
	var r [6]byte
	_, _ = rand.Read(r[:])
	aside := filepath.Join(f.Dir, "."+name+".pruned-"+hex.EncodeToString(r[:]))
	if err := os.Rename(path, aside); err != nil {
		return
	}
	moved, err := readPrivate(aside)
	if err == nil && !bytes.Equal(moved, judged) {
		// Link fails when the path exists again: the newer entry stays. Where
		// links are unsupported, renaming back is the best left to do.
		if err := os.Link(aside, path); err != nil && !errors.Is(err, fs.ErrExist) {
			_ = os.Rename(aside, path)
			return
		}
	}
	os.Remove(aside)
}
