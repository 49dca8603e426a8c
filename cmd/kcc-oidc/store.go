package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/filelock"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
)

// Where kcc-oidc keeps its tokens: kcc-cache's backend and cache file, read
// from kcc-cache's own variables, so that both follow the same auto choice
// (the OS secret store, else 0600 files) and the user configures one thing.
const (
	envBackend = "KUBE_CREDENTIAL_CACHE_BACKEND"
	envFile    = "KUBE_CREDENTIAL_CACHE_FILE"
	// envDebug turns on kcc-cache's debug lines, and kcc-oidc's.
	envDebug = "KUBE_CREDENTIAL_CACHE_DEBUG"
)

// debugOn reads a truthy value as kcc-cache does (1, true, yes, on).
func debugOn(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "t", "true", "y", "yes", "on":
		return true
	}
	return false
}

// openStore opens the store and returns it with the cache file it belongs to.
func (w world) openStore() (backend.Store, string, error) {
	kind := w.getenv(envBackend)
	if kind == "" {
		kind = "auto"
	}
	file := w.getenv(envFile)
	if file == "" {
		var err error
		if file, err = filestore.DefaultFile(); err != nil {
			return nil, "", fmt.Errorf("no token store location (set %s): %w", envFile, err)
		}
	}
	choice, err := backend.Open(backend.Options{Kind: kind, File: file})
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", envBackend, err)
	}
	if debugOn(w.getenv(envDebug)) {
		fmt.Fprintf(w.stderr, "kcc-oidc: debug: store %s (%s)\n", choice.Name, choice.Reason)
	}
	if choice.Warning != "" {
		fmt.Fprintf(w.stderr, "kcc-oidc: %s\n", choice.Warning)
	}
	return choice.Store, file, nil
}

// lockKey locks the store key's lock file among kcc-cache's (the state
// directory's locks/, which kcc-cache's sweep prunes when free), waiting at
// most timeout: as long as another run's login may take.
func lockKey(file, key string, timeout time.Duration) (func(), error) {
	dir := filepath.Join(filestore.StateDir(file), "locks")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("could not create the lock directory: %w", err)
	}
	unlock, err := filelock.Lock(filepath.Join(dir, "oidc-"+key+".lock"), timeout)
	if err != nil {
		return nil, fmt.Errorf("another kcc-oidc is logging in for these flags: %w", err)
	}
	return unlock, nil
}
