package main

import (
	"fmt"

	"github.com/IvMisticos/kube-credential-cache/pkg/backend"
)

// Where kcc-oidc keeps its tokens: kcc-cache's backend and cache file, read
// from kcc-cache's own variables, so that both follow the same auto choice
// (the OS secret store, else 0600 files) and the user configures one thing.
const (
	envBackend = "KUBE_CREDENTIAL_CACHE_BACKEND"
	envFile    = "KUBE_CREDENTIAL_CACHE_FILE"
)

func (w world) openStore() (backend.Store, error) {
	kind := w.getenv(envBackend)
	if kind == "" {
		kind = "auto"
	}
	file := w.getenv(envFile)
	if file == "" {
		var err error
		if file, err = backend.DefaultFile(); err != nil {
			return nil, fmt.Errorf("no token store location (set %s): %w", envFile, err)
		}
	}
	choice, err := backend.Open(backend.Options{Kind: kind, File: file})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", envBackend, err)
	}
	if choice.Warning != "" {
		fmt.Fprintf(w.stderr, "kcc-oidc: %s\n", choice.Warning)
	}
	return choice.Store, nil
}
