package backend

import "fmt"

// maxEntrySize bounds what a read of one entry file holds in memory. An entry
// is one credential (kcc-cache takes at most cache.MaxPluginOutput, 1 MiB,
// from a plugin; real ones are 2–10 KB) plus a line of expiry and one of
// label; anything larger was not written by kcc-cache.
const maxEntrySize = 2 << 20

// maxLegacySize bounds the read of a cache file of the old single-file
// layout, which held every entry: 16 MiB is thousands of identities.
const maxLegacySize = 16 << 20

func tooLarge(path string, max int) error {
	return fmt.Errorf("%w: %s is larger than %d bytes", ErrCorrupt, path, max)
}
