package filestore

import (
	"errors"
	"fmt"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
)

// maxEntrySize bounds what a read of one entry file holds in memory. An entry
// is one credential (kcc-cache takes at most cache.MaxPluginOutput, 1 MiB,
// from a plugin; real ones are 2–10 KB) plus a line of expiry and one of
// label; anything larger was not written by kcc-cache.
const maxEntrySize = 2 << 20

// maxLegacySize bounds the read of a cache file of the old single-file
// layout, which held every entry: 16 MiB is thousands of identities.
const maxLegacySize = 16 << 20

// readPrivate reads an entry file (see readPrivateMax).
func readPrivate(path string) ([]byte, error) { return readPrivateMax(path, maxEntrySize) }

// readPrivateMax reads one of our files through privatefile.ReadFile; one
// over max is corrupt.
func readPrivateMax(path string, max int) ([]byte, error) {
	data, err := privatefile.ReadFile(path, max)
	var big *privatefile.TooLargeError
	if errors.As(err, &big) {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return data, err
}
