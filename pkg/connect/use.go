package connect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/internal/kubeconfigfile"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/kubeconfig"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// CacheCommand is the command a cached user runs: kcc-cache, with the
// plugin as its arguments.
const CacheCommand = contract.CacheCommand

// Stdout as UseOptions.Kubeconfig prints a standalone kubeconfig.
const Stdout = "-"

// UseOptions say where and how Use writes.
type UseOptions struct {
	NameOptions
	// Kubeconfig is the file to merge into (created if missing); Stdout
	// ("-") prints a standalone kubeconfig to Out and writes nothing.
	Kubeconfig string
	Out        io.Writer
	// SetCurrent makes the first entry's context current-context.
	SetCurrent bool
	// Plugin is the provider's plugin for the token ("" for its default).
	Plugin string
	// NoCache runs the plugin directly, without kcc-cache.
	NoCache bool
	// Recorder, when set, is told about every entry written.
	Recorder Recorder
}

// lockWait is how long Use waits for another editor's lock on the
// kubeconfig (kubectl holds it for milliseconds).
const lockWait = 10 * time.Second

// ErrRecord marks a failure to record an entry in the history: the
// kubeconfig was written all the same.
var ErrRecord = errors.New("could not record the entry in the history")

// Use writes a cluster, user and context for each cluster into the
// kubeconfig (see package kubeconfig for how the file is kept intact) and
// returns the entries written. The file is locked like kubectl locks it
// from read to rename, and replaced atomically; a file that would not
// change is not written at all.
func Use(ctx context.Context, p Provider, clusters []Cluster, opts UseOptions) ([]Entry, error) {
	entries, err := buildEntries(p, clusters, opts)
	if err != nil {
		return nil, err
	}
	if opts.Kubeconfig == Stdout {
		if err := contextNames(entries, nil, opts.NameOptions); err != nil {
			return nil, err
		}
		ch := changes(entries)
		ch.CurrentContext = entries[0].ContextName
		if _, err := opts.Out.Write(kubeconfig.New(ch)); err != nil {
			return nil, err
		}
	} else if err := merge(entries, opts); err != nil {
		return nil, err
	}
	where := opts.Kubeconfig
	if where != Stdout {
		if abs, err := filepath.Abs(where); err == nil {
			where = abs
		}
	}
	for i := range entries {
		entries[i].Kubeconfig = where
	}
	entries[0].Current = opts.SetCurrent && where != Stdout
	return entries, record(ctx, entries, opts.Recorder)
}

func merge(entries []Entry, opts UseOptions) error {
	path := opts.Kubeconfig
	target, err := kubeconfigfile.Resolve(path)
	if errors.Is(err, fs.ErrNotExist) {
		// A first kubeconfig: its directory (~/.kube) may not exist yet,
		// and the lock file goes there.
		target, err = path, os.MkdirAll(filepath.Dir(path), 0o700)
	}
	if err != nil {
		return err
	}
	unlock, err := kubeconfigfile.LockWithin(path, target, lockWait)
	if err != nil {
		return err
	}
	defer unlock()
	src, err := os.ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("could not read the kubeconfig: %w", err)
	}
	f, err := kubeconfig.Parse(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := contextNames(entries, f.Contexts(), opts.NameOptions); err != nil {
		return err
	}
	ch := changes(entries)
	if opts.SetCurrent {
		ch.CurrentContext = entries[0].ContextName
	}
	out, err := f.Merge(ch)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if bytes.Equal(out, src) && src != nil {
		return nil // nothing to do; leave the file and its timestamps alone
	}
	return kubeconfigfile.Write(target, out)
}

// buildEntries gives each cluster its cluster and user names and its exec,
// wrapped in kcc-cache unless NoCache. A cluster reached twice with the
// same identity is written once.
func buildEntries(p Provider, clusters []Cluster, opts UseOptions) ([]Entry, error) {
	if len(clusters) == 0 {
		return nil, errors.New("no cluster selected")
	}
	clusters = append([]Cluster(nil), clusters...)
	Sort(clusters)
	seen := map[string]bool{}
	var entries []Entry
	for _, c := range clusters {
		user := UserName(c)
		if seen[user] {
			continue
		}
		seen[user] = true
		if c.Endpoint == "" {
			return nil, fmt.Errorf("cluster %s is %s and has no endpoint yet; try again when it is ACTIVE", c.ID, c.Status)
		}
		exec, err := p.Exec(c, opts.Plugin)
		if err != nil {
			return nil, err
		}
		if !opts.NoCache {
			exec = cached(exec, user)
		}
		entries = append(entries, Entry{
			Cluster:     c,
			ClusterName: c.ID,
			UserName:    user,
			Alias:       opts.Alias,
			Plugin:      opts.Plugin,
			NoCache:     opts.NoCache,
			Exec:        exec,
		})
	}
	return entries, nil
}

// cached runs e through kcc-cache: the plugin and its arguments become
// kcc-cache's arguments, and the user's name keys the cache, so two users
// with the same plugin command never share a credential.
func cached(e Exec, user string) Exec {
	return Exec{
		APIVersion: e.APIVersion,
		Command:    CacheCommand,
		Args:       append([]string{e.Command}, e.Args...),
		Env:        append([]EnvVar{{Name: execcred.UserEnv, Value: user}}, e.Env...),
	}
}

// changes are the kubeconfig entries of entries: one cluster per ID, one
// user and one context per entry.
func changes(entries []Entry) kubeconfig.Changes {
	var ch kubeconfig.Changes
	seen := map[string]bool{}
	for _, e := range entries {
		if !seen[e.ClusterName] {
			seen[e.ClusterName] = true
			ch.Clusters = append(ch.Clusters, kubeconfig.Cluster{
				Name:                     e.ClusterName,
				Server:                   e.Cluster.Endpoint,
				CertificateAuthorityData: e.Cluster.CertificateAuthority,
			})
		}
		ch.Users = append(ch.Users, kubeconfig.User{Name: e.UserName, Exec: e.Exec})
		ch.Contexts = append(ch.Contexts, kubeconfig.Context{Name: e.ContextName, Cluster: e.ClusterName, User: e.UserName})
	}
	return ch
}

// record tells the recorder about every entry. The file is written by
// then, so a failure here is reported but does not undo it.
func record(ctx context.Context, entries []Entry, r Recorder) error {
	if r == nil {
		return nil
	}
	var errs []error
	for _, e := range entries {
		if err := r.Record(ctx, e); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrRecord, errors.Join(errs...))
	}
	return nil
}
