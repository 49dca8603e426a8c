package backend

import (
	"fmt"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
)

// Options says which store the user asked for.
type Options struct {
	Kind    string        // "auto", "keyring" or "file"
	File    string        // path of the JSON cache file
	Timeout time.Duration // bound for probing and using the secret store
}

// Choice is the store in use and why, for --info and debug output.
type Choice struct {
	Store   cache.Store
	Name    string // "file" or "keyring"
	Reason  string
	Warning string // one line for stderr when an explicit choice could not be honoured
}

// Open returns the store for opts.
func Open(opts Options) (Choice, error) {
	switch opts.Kind {
	case "file":
		return Choice{Store: NewFile(opts.File), Name: "file", Reason: "KUBE_CREDENTIAL_CACHE_BACKEND=file"}, nil
	case "auto", "":
		return Choice{Store: NewFile(opts.File), Name: "file", Reason: "auto: no secret store backend on this platform yet"}, nil
	case "keyring":
		return Choice{Store: NewFile(opts.File), Name: "file", Reason: "keyring backend not available yet"}, nil
	}
	return Choice{}, fmt.Errorf("unknown backend %q (want auto, keyring or file)", opts.Kind)
}
