package cache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/filelock"
	"github.com/IvMisticos/kube-credential-cache/internal/owner"
)

// Proxy answers one exec-plugin call from the cache or from the plugin.
type Proxy struct {
	Store  Store
	Policy Policy
	// StateDir holds the per-key lock files and the served markers; it is
	// local to the machine whatever the Store is, since secret stores do not
	// lock across processes.
	StateDir    string
	LockTimeout time.Duration

	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Env    []string // the plugin's environment; nil inherits ours

	Now    func() time.Time
	Parent func() string // identity of the calling process; "" disables the self-heal
	// Fingerprint digests the files the plugin reads to pick its identity
	// (inputs.Set.Fingerprint); nil means there are none. A credential
	// stored under another fingerprint is not served: the user switched
	// accounts or changed keys since, and the plugin must run again.
	Fingerprint func() string
	Debug       bool

	// sweepOnHit says whether this hit should also check that the served
	// markers were swept lately; nil means one hit in sweepOdds. Tests set it.
	sweepOnHit func() bool

	warned bool
	// refused is why the store's entry for the key may not be used (it or
	// its directory is not this user's own); the call then passes through.
	refused error
}

// sweepOdds: one hit in this many checks when the markers were last swept
// (one stat). A cache whose credentials live long is refreshed rarely, so
// the hits are what must keep its markers bounded; checking on every hit
// would cost every kubectl call a syscall for an hourly job.
const sweepOdds = 256

// Serve prints the credential for id: the cached one while it is fresh and
// has not been rejected, otherwise a new one from the plugin.
func (p *Proxy) Serve(ctx context.Context, id Identity) error {
	key := id.Key()
	p.debugf("key %.12s (%s)", key, id.Command())
	if err := p.checkStateDir(); err != nil {
		return p.passThrough(ctx, id, err)
	}
	parent := p.parent()
	served := p.served()

	rejected := ""
	if e, ok := p.lookup(key); ok {
		fp := p.fingerprint()
		switch {
		case !p.Policy.Fresh(e.Expires, p.Now()):
			p.debugf("stale: expires %s, within the refresh margin %s", e.Expires.Format(time.RFC3339), p.Policy.RefreshMargin)
		case !p.inputsMatch(e, fp):
			p.debugf("the plugin's identity inputs changed (now %.8s, stored %.8s): refreshing", fp, e.Inputs)
		case served.first(key, e.Gen, parent):
			p.debugf("hit: expires %s", e.Expires.Format(time.RFC3339))
			err := p.print(id, e)
			if p.sweepsOnHit() {
				p.sweep(served)
			}
			return err
		case !served.mayHeal(key, parent):
			p.debugf("hit: the caller asked again, but it already forced a refresh within %s", p.Policy.HealCooldown)
			return p.print(id, e)
		default:
			p.debugf("the caller asked again for the credential it was given (client-go does after a 401): refreshing")
			rejected = e.Gen
		}
	} else if p.refused != nil {
		return p.passThrough(ctx, id, p.refused)
	} else {
		p.debugf("miss")
	}
	return p.refresh(ctx, id, key, rejected)
}

// checkStateDir refuses a state directory that is not this user's own
// (owner.CheckDir): its locks and markers would be another user's to set.
func (p *Proxy) checkStateDir() error {
	if p.StateDir == "" {
		return nil
	}
	if err := owner.CheckDir(p.StateDir); err != nil {
		return fmt.Errorf("refusing cache directory: %w", err)
	}
	return nil
}

// passThrough runs the plugin and prints what it printed, touching neither
// the store nor the state directory: what the cache holds was found not to
// be this user's own (refused says why, in the one warning line), so it is
// neither served nor written to, and kubectl still gets its credential.
func (p *Proxy) passThrough(ctx context.Context, id Identity, refused error) error {
	p.Warn(fmt.Sprintf("%v; not using the cache (the plugin runs on every call until this is fixed)", refused))
	out, err := runPlugin(ctx, id.Argv, p.Env, p.Stdin, p.Stderr)
	if err != nil {
		return err
	}
	_, err = p.Stdout.Write(out)
	return err
}

// refresh runs the plugin under the key's lock, so that many callers that
// miss at once run it once (one MFA prompt, not thirty-two) and the others
// serve what it stored.
func (p *Proxy) refresh(ctx context.Context, id Identity, key, rejected string) error {
	parent := p.parent()
	served := p.served()
	if unlock, err := p.lock(key); err == nil {
		defer unlock()
	} else if errors.Is(err, fs.ErrPermission) {
		return p.passThrough(ctx, id, err)
	} else if errors.Is(err, filelock.ErrHeld) && p.LockTimeout == 0 {
		// LOCK_TIMEOUT=0 asks not to wait for another process: running the
		// plugin alongside it is the choice made, not a problem to report.
		p.debugf("%v; not waiting (lock timeout 0), running the plugin too", err)
	} else {
		p.Warn(fmt.Sprintf("%v; running the plugin without it", err))
	}

	// Read under the lock, before the plugin runs: a file changed while it
	// runs then costs one more refresh, never a credential of the old
	// identity stored under the new fingerprint.
	fp := p.fingerprint()
	replaced := ""
	if e, ok := p.lookup(key); ok {
		if e.Gen != rejected && p.Policy.Fresh(e.Expires, p.Now()) && p.inputsMatch(e, fp) {
			p.debugf("hit after waiting: another process refreshed it")
			served.first(key, e.Gen, parent)
			return p.print(id, e)
		}
		replaced = e.Gen
	} else if p.refused != nil {
		return p.passThrough(ctx, id, p.refused)
	}

	out, err := runPlugin(ctx, id.Argv, p.Env, p.Stdin, p.Stderr)
	if err != nil {
		return err
	}
	cred, err := ParseCredential(out)
	if err != nil {
		p.Warn(fmt.Sprintf("plugin %s: %v; passing its output through uncached", id.Command(), err))
		_, werr := p.Stdout.Write(out)
		return werr
	}
	now := p.Now()
	e := entry{
		Gen:        newGen(),
		Expires:    p.Policy.Expiry(cred.Expires, now),
		User:       id.User(),
		Server:     id.Server,
		Command:    id.Command(),
		Inputs:     fp,
		APIVersion: id.APIVersion,
		Status:     cred.Status,
	}
	if !p.Policy.Fresh(e.Expires, now) {
		p.debugf("not cached: expires %s, within the refresh margin", e.Expires.Format(time.RFC3339))
		return p.print(id, e)
	}
	if err := p.store(key, id, e); err != nil {
		p.Warn(fmt.Sprintf("%v; passing the credential through uncached", err))
	} else {
		p.debugf("stored: expires %s", e.Expires.Format(time.RFC3339))
	}
	served.first(key, e.Gen, parent)
	served.forget(key, replaced)
	p.sweep(served)
	return p.print(id, e)
}

func (p *Proxy) lookup(key string) (entry, bool) {
	rec, err := p.Store.Get(key)
	if errors.Is(err, fs.ErrNotExist) {
		return entry{}, false
	}
	if errors.Is(err, fs.ErrPermission) {
		p.refused = err // not ours to read, nor to replace
		return entry{}, false
	}
	if err != nil {
		p.Warn(fmt.Sprintf("%v; it will be replaced", err))
		return entry{}, false
	}
	e, err := decodeEntry(rec)
	if err != nil {
		p.Warn(fmt.Sprintf("%v; it will be replaced", err))
		return entry{}, false
	}
	return e, true
}

func (p *Proxy) store(key string, id Identity, e entry) error {
	rec, err := e.record(key, id.Label())
	if err != nil {
		return err
	}
	if err := p.Store.Put(rec); err != nil {
		return fmt.Errorf("could not save credential: %w", err)
	}
	return nil
}

func (p *Proxy) locksDir() string { return filepath.Join(p.StateDir, "locks") }

// sweep removes old served and heal markers, at most once per sweepEvery,
// and then the lock files nobody holds: otherwise one stays for every key
// ever refreshed (a held one, ours on a miss included, is kept).
func (p *Proxy) sweep(served servedLog) {
	if served.maybeSweep() {
		filelock.Prune(p.locksDir(), ".lock")
	}
}

func (p *Proxy) lock(key string) (func(), error) {
	dir := p.locksDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("could not create lock directory: %w", err)
	}
	return filelock.Lock(filepath.Join(dir, key+".lock"), p.LockTimeout)
}

func (p *Proxy) print(id Identity, e entry) error {
	_, err := p.Stdout.Write(Render(id.APIVersion, e.Status))
	return err
}

func (p *Proxy) fingerprint() string {
	if p.Fingerprint == nil {
		return ""
	}
	return p.Fingerprint()
}

// inputsMatch reports whether e was stored under fingerprint fp. An entry
// from before fingerprints has none: for a plugin with inputs it is
// refreshed once, since nothing says whose it is.
func (p *Proxy) inputsMatch(e entry, fp string) bool { return e.Inputs == fp }

func (p *Proxy) parent() string {
	if p.Parent == nil {
		return ""
	}
	return p.Parent()
}

func (p *Proxy) served() servedLog {
	return newServedLog(p.StateDir, p.Policy.HealCooldown, p.Now)
}

func (p *Proxy) sweepsOnHit() bool {
	if p.sweepOnHit != nil {
		return p.sweepOnHit()
	}
	return rand.IntN(sweepOdds) == 0
}

// Warn prints the first problem of a call as one line; later ones would only
// repeat its cause (an unwritable directory fails the lock and the write), so
// they go to the debug output.
func (p *Proxy) Warn(msg string) {
	if p.warned {
		p.debugf("%s", msg)
		return
	}
	p.warned = true
	fmt.Fprintf(p.Stderr, "kcc-cache: %s\n", msg)
}

func (p *Proxy) debugf(format string, args ...any) {
	if p.Debug {
		fmt.Fprintf(p.Stderr, "kcc-cache: debug: "+format+"\n", args...)
	}
}
