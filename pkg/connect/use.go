package connect

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	// Kubeconfigs, when Kubeconfig is empty, are the files kubectl reads
	// ($KUBECONFIG), which Use edits as kubectl does (see mergeFiles).
	Kubeconfigs []string
	Out         io.Writer
	// SetCurrent makes the first entry's context current-context (a
	// standalone kubeconfig on Stdout always has one).
	SetCurrent bool
	// Current, when set, is the ID of the cluster whose context SetCurrent
	// makes current, instead of the first (Rancher's --ace).
	Current string
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
// kubeconfig (see package kubeconfig for how the file is kept intact; with
// several files, splitChanges for which one gets what) and returns the
// entries written. Each file is locked like kubectl locks it from read to
// rename, and replaced atomically; a file that would not change is not
// written at all.
func Use(ctx context.Context, p Provider, clusters []Cluster, opts UseOptions) ([]Entry, error) {
	if r, ok := p.(Resolver); ok {
		resolved := make([]Cluster, len(clusters))
		for i, c := range clusters {
			var err error
			if resolved[i], err = r.Resolve(ctx, c); err != nil {
				return nil, err
			}
		}
		clusters = resolved
	}
	entries, err := buildEntries(p, clusters, opts)
	if err != nil {
		return nil, err
	}
	for i, e := range entries {
		if opts.Current != "" && e.Cluster.ID == opts.Current {
			// The current one first: SetCurrent takes entries[0].
			entries[0], entries[i] = entries[i], entries[0]
		}
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
		for i := range entries {
			entries[i].Kubeconfig = Stdout
		}
	} else {
		paths := opts.Kubeconfigs
		if opts.Kubeconfig != "" {
			paths = []string{opts.Kubeconfig}
		}
		if len(paths) == 0 {
			return nil, errors.New("no kubeconfig file to write")
		}
		if err := merge(entries, paths, opts); err != nil {
			return nil, err
		}
		entries[0].Current = opts.SetCurrent
	}
	return entries, record(ctx, entries, opts.Recorder)
}

// merge writes the entries through the kubeconfig edit flow
// (kubeconfigfile.EditAll: kubectl's locks, a write only of what changed)
// and sets each entry's Kubeconfig to the file its context is in.
func merge(entries []Entry, paths []string, opts UseOptions) error {
	// A first kubeconfig: its directory (~/.kube) may not exist yet, and
	// the lock file goes there.
	if err := os.MkdirAll(filepath.Dir(kubeconfigfile.DefaultOf(paths)), 0o700); err != nil {
		return err
	}
	return kubeconfigfile.EditAll(paths, lockWait, func(files []*kubeconfigfile.File) error {
		parsed := make([]*kubeconfig.File, len(files))
		var existing []kubeconfig.Context
		for i, f := range files {
			p, err := kubeconfig.Parse(f.Data)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
			parsed[i] = p
			existing = append(existing, p.Contexts()...)
		}
		if err := contextNames(entries, existing, opts.NameOptions); err != nil {
			return err
		}
		ch := changes(entries)
		if opts.SetCurrent {
			ch.CurrentContext = entries[0].ContextName
		}
		def := kubeconfigfile.Default(files)
		per := splitChanges(parsed, def, ch)
		for i, c := range per {
			if isEmpty(c) {
				continue
			}
			out, err := parsed[i].Merge(c)
			if err != nil {
				return fmt.Errorf("%s: %w", files[i].Path, err)
			}
			files[i].Data = out
		}
		for i := range entries {
			where := files[holder(parsed, def, (*kubeconfig.File).HasContext, entries[i].ContextName)].Path
			if abs, err := filepath.Abs(where); err == nil {
				where = abs
			}
			entries[i].Kubeconfig = where
		}
		return nil
	})
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
		if t, ok := p.(PlaintextTokens); ok {
			if token, ok := t.PlaintextToken(c); ok {
				entries = append(entries, Entry{Cluster: c, ClusterName: c.ID, UserName: user, Alias: opts.Alias, Plugin: opts.Plugin, NoCache: true, token: token})
				continue
			}
		}
		var exec Exec
		if c.ClientCertificate == "" {
			var err error
			if exec, err = p.Exec(c, opts.Plugin); err != nil {
				return nil, err
			}
			if !opts.NoCache {
				exec = cached(exec, user)
			}
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

// PlaintextTokens is a provider whose entries may carry their token in the
// kubeconfig, as the provider's own tool writes them (Rancher's
// --plaintext-token): a cluster for which PlaintextToken says ok gets a user
// with that token instead of an exec.
type PlaintextTokens interface {
	PlaintextToken(c Cluster) (token string, ok bool)
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
		// What kubectl shows or passes for the plugin holds through
		// kcc-cache, which hands the plugin its environment.
		InstallHint:        e.InstallHint,
		ProvideClusterInfo: e.ProvideClusterInfo,
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
		ch.Users = append(ch.Users, kubeconfig.User{Name: e.UserName, Exec: e.Exec, Token: e.token,
			ClientCertificateData: e.Cluster.ClientCertificate, ClientKeyData: e.Cluster.ClientKey})
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
