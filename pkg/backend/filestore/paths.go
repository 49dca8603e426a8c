package filestore

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend/internal/privatefile"
)

// DefaultFile is the cache file when KUBE_CREDENTIAL_CACHE_FILE is unset:
// kube-credential-cache/cache.json in the OS's per-user cache directory.
func DefaultFile() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory: %w", err)
	}
	return filepath.Join(dir, privatefile.DirName, "cache.json"), nil
}

// StateDir holds the entry files, lock files, served markers and remembered
// verdicts that go with a cache file, whichever backend keeps the credentials.
func StateDir(file string) string { return file + ".d" }

// EntriesDir holds the file store's entries, one file per cache key.
func EntriesDir(file string) string { return filepath.Join(StateDir(file), "entries") }
