package backend

import (
	"fmt"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/backend/filestore"
	"github.com/IvMisticos/kube-credential-cache/pkg/record"
)

// Options says which store the user asked for.
type Options struct {
	Kind    string        // "auto", "keyring" or "file"
	File    string        // the configured cache file; entries live in filestore.EntriesDir(File)
	Timeout time.Duration // bound for probing the secret store; 0 means DefaultTimeout
	// Debugf, when set, receives debug notes (an entry too large for the
	// secret store going to the file, say). Never called with a secret.
	Debugf func(format string, args ...any)
	// Lazy defers the check that the secret store can be used to the first
	// call that is not a hit (see LazyKeyring): the proxy sets it, so that a
	// cache hit costs only the round trips that read its item. Without it
	// Open checks at once and Choice says what was found, as --info needs.
	Lazy bool
	// Warn, with Lazy, receives the warning a Choice would have carried
	// when the check finds that an explicitly chosen keyring is unusable.
	Warn func(string)
	// Agent is the command that runs the Secret Service agent (agent.Serve),
	// for the proxy: a hit is then read through a running agent, and a
	// read or store without one starts it. Empty: no agent. Linux only.
	Agent []string
}

// DefaultTimeout bounds the probe of the secret store when Options.Timeout is
// zero; it is also KUBE_CREDENTIAL_CACHE_KEYRING_TIMEOUT's default. A local
// Secret Service answers in about a millisecond; the bound only matters for a
// bus that does not answer, where it is what kubectl waits.
const DefaultTimeout = 500 * time.Millisecond

// Store is what every backend here is: the method set pkg/cache's Store
// interface asks for, named here so that this package need not import the
// proxy to describe what Open returns.
type Store interface {
	Get(key string) (record.Record, error)
	Put(rec record.Record) error
	Delete(keys ...string) error
	List() ([]record.Record, error)
}

// Choice is the store in use and why, for --info and debug output.
type Choice struct {
	Store   Store
	Name    string // "file" or "keyring"
	Reason  string
	Warning string // one line for stderr when an explicit choice could not be honoured
}

// Open returns the store for opts. It never blocks longer than opts.Timeout
// on the secret store for auto (and at least a second for keyring), and
// only an unknown Kind is an error: a secret store that cannot be used leads
// to the file (auto) or to caching nothing (keyring), so kubectl always gets
// its credential.
func Open(opts Options) (Choice, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	switch opts.Kind {
	case "file":
		return Choice{Store: opts.file(), Name: "file", Reason: contract.BackendEnv + "=file"}, nil
	case "auto", "":
		verdict := unusableVerdict{dir: filestore.StateDir(opts.File), address: vaultAddress(), now: time.Now}
		if reason, ok := verdict.recall(); ok {
			return Choice{Store: opts.file(), Name: "file", Reason: "auto: " + reason}, nil
		}
		k, err := openKeyring(opts, true)
		if err != nil {
			verdict.remember(err.Error())
			return Choice{Store: opts.file(), Name: "file", Reason: "auto: " + err.Error()}, nil
		}
		if opts.Lazy {
			lazy := &LazyKeyring{keyring: k, fallback: opts.file(), unusable: func(err error) {
				verdict.remember(err.Error())
				k.debugf("keyring: %v; using the file", err)
			}}
			return Choice{Store: lazy, Name: "keyring", Reason: "auto: " + k.Describe() + " reachable (checked on the first miss)"}, nil
		}
		if err := k.usable(); err != nil {
			_ = k.Close()
			verdict.remember(err.Error())
			return Choice{Store: opts.file(), Name: "file", Reason: "auto: " + err.Error()}, nil
		}
		return Choice{Store: k, Name: "keyring", Reason: "auto: " + k.Describe() + " is available"}, nil
	case "keyring":
		// The user chose the keyring: giving up on it costs a plugin run (maybe
		// an MFA prompt) and leaves the credential uncached, so a busy store
		// (many kubectl at once, a loaded machine) gets the per-call bound
		// rather than auto's quick one. A bus that never answers still ends.
		opts.Timeout = max(opts.Timeout, time.Second)
		k, err := openKeyring(opts, false)
		if err == nil && opts.Lazy {
			lazy := &LazyKeyring{keyring: k, fallback: Passthrough{}, unusable: func(err error) {
				if opts.Warn != nil {
					opts.Warn(keyringWarning(err))
				}
			}}
			return Choice{Store: lazy, Name: "keyring", Reason: contract.BackendEnv + "=keyring: " + k.Describe() + " (checked on the first miss)"}, nil
		}
		if err == nil {
			if err = k.usable(); err != nil {
				_ = k.Close()
			}
		}
		if err != nil {
			return Choice{
				Store:   Passthrough{},
				Name:    "keyring",
				Reason:  "unusable, nothing is cached: " + err.Error(),
				Warning: keyringWarning(err),
			}, nil
		}
		return Choice{Store: k, Name: "keyring", Reason: contract.BackendEnv + "=keyring: " + k.Describe()}, nil
	}
	return Choice{}, fmt.Errorf("unknown backend %q (want auto, keyring or file)", opts.Kind)
}

func keyringWarning(err error) string {
	return fmt.Sprintf("keyring unusable (%v): credentials are not cached; set %s=auto or file to cache them in a file", err, contract.BackendEnv)
}

// openKeyring connects to this OS's secret store; its error says why the
// store cannot be used, in words fit for --info.
func openKeyring(opts Options, quick bool) (*Keyring, error) {
	v, err := openVault(opts.Timeout, quick, filestore.StateDir(opts.File), opts.Agent)
	if err != nil {
		return nil, err
	}
	return newKeyring(v, opts.file(), opts.Debugf), nil
}

func (opts Options) file() *filestore.File { return filestore.NewFile(opts.File) }
