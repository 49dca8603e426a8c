package oidc

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/settings"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// Name is the provider's id in listings and history.
const Name = "oidc"

// Plugin is the one plugin its users run.
const Plugin = contract.OIDCCommand

// Stdin as Options.ConfigURL reads the cluster list from Options.Stdin.
const Stdin = "-"

// Options say where the clusters come from: a cluster list (ConfigURL), or
// the one cluster of Cluster (the flags).
type Options struct {
	// ConfigURL is an https:// URL, a file, or "-" for Stdin.
	ConfigURL string
	// Cluster is the cluster given by flags, when there is no ConfigURL.
	Cluster ListCluster
	Stdin   io.Reader
	// HTTPClient fetches an https:// ConfigURL (settings.ReadSource: no
	// plain http, no redirect to it, a size limit).
	HTTPClient *http.Client
}

// Provider is the oidc provider.
type Provider struct{ opts Options }

// New is the provider for opts.
func New(opts Options) *Provider { return &Provider{opts: opts} }

var _ connect.Provider = (*Provider)(nil)

// Name is "oidc".
func (*Provider) Name() string { return Name }

// Discover reads the list (or takes the flags' cluster) and keeps the
// clusters that carry every label of sel.Labels.
func (p *Provider) Discover(ctx context.Context, sel connect.Selection) ([]connect.Cluster, []connect.Warning, error) {
	cs, err := p.load(ctx)
	if err != nil {
		return nil, nil, err
	}
	var out []connect.Cluster
	for _, c := range cs {
		if hasLabels(c.Labels, sel.Labels) {
			out = append(out, cluster(c))
		}
	}
	connect.Sort(out)
	return out, nil, nil
}

// Describe reads the source again and returns the cluster of c's ID, so a
// moved server or a rotated CA is picked up.
func (p *Provider) Describe(ctx context.Context, c connect.Cluster) (connect.Cluster, error) {
	cs, err := p.load(ctx)
	if err != nil {
		return connect.Cluster{}, err
	}
	for _, l := range cs {
		if l.ID == c.ID {
			return cluster(l), nil
		}
	}
	return connect.Cluster{}, fmt.Errorf("cluster %q is not in %s (give the --config-url or cluster flags it came from)", c.ID, p.source())
}

// Exec is kcc-oidc get-token for the cluster's issuer, client and scopes.
// The command line is built in this one place, by kcc-oidc's own builder
// (this file is the only user of its package here).
func (p *Provider) Exec(c connect.Cluster, plugin string) (connect.Exec, error) {
	if plugin != "" && plugin != Plugin {
		return connect.Exec{}, fmt.Errorf("unknown exec plugin %q for oidc clusters (want %s)", plugin, Plugin)
	}
	b := contract.OIDC{IssuerURL: c.IssuerURL, ClientID: c.ClientID, ExtraScopes: c.ExtraScopes}
	return connect.Exec{APIVersion: execcred.APIVersionV1beta1, Command: b.Command(), Args: b.Args()}, nil
}

// load is the clusters of the source, checked.
func (p *Provider) load(ctx context.Context) ([]ListCluster, error) {
	if p.opts.ConfigURL == "" {
		cs := []ListCluster{p.opts.Cluster}
		if cs[0].Name == "" {
			cs[0].Name = cs[0].ID
		}
		if err := Validate(cs); err != nil {
			return nil, fmt.Errorf("cluster flags: %w", err)
		}
		return cs, nil
	}
	data, err := p.read(ctx)
	if err != nil {
		return nil, fmt.Errorf("cluster list: %w", err)
	}
	cs, err := ParseList(data)
	if err != nil {
		return nil, fmt.Errorf("cluster list %s: %w", p.source(), err)
	}
	for i := range cs {
		if cs[i].Name == "" {
			cs[i].Name = cs[i].ID
		}
	}
	return cs, nil
}

// read is the list's bytes: stdin through the same limit as a file, else
// settings.ReadSource (a path, or https:// only).
func (p *Provider) read(ctx context.Context) ([]byte, error) {
	if p.opts.ConfigURL != Stdin {
		return settings.ReadSource(ctx, p.opts.HTTPClient, p.opts.ConfigURL)
	}
	if p.opts.Stdin == nil {
		return nil, fmt.Errorf("no standard input to read")
	}
	return settings.ReadLimited(p.opts.Stdin, "the cluster list on standard input")
}

// source names where the clusters came from, without a URL's secrets.
func (p *Provider) source() string {
	switch p.opts.ConfigURL {
	case "":
		return "the cluster flags"
	case Stdin:
		return "standard input"
	}
	return settings.Redact(p.opts.ConfigURL)
}

func cluster(l ListCluster) connect.Cluster {
	return connect.Cluster{
		ID:                   l.ID,
		Provider:             Name,
		Name:                 l.Name,
		Endpoint:             l.Server,
		CertificateAuthority: l.CAData,
		IssuerURL:            l.IssuerURL,
		ClientID:             l.ClientID,
		ExtraScopes:          l.ExtraScopes,
		Labels:               l.Labels,
	}
}

// hasLabels says whether have carries every label of want.
func hasLabels(have, want map[string]string) bool {
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// FormatLabels is labels as k=v,k=v, sorted: one table cell.
func FormatLabels(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ","
		}
		s += k + "=" + labels[k]
	}
	return s
}
