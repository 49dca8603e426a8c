package main

import (
	"errors"
	"io"
	"net/url"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/aks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/gke"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/oidc"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/rancher"
)

// providerAll as --provider runs every configured provider (discover only).
const providerAll = "all"

// allProviders are what `discover --provider all` runs, each with when it
// is configured: its required settings are present in the flags, the
// environment or the config file. Adding a provider to all is one line.
var allProviders = []struct {
	name       string
	configured func(a *app) bool
}{
	{providerEKS, func(*app) bool { return true }},
	{oidc.Name, func(a *app) bool { return a.oidc.configURL != "" || a.oidc.cluster.Server != "" }},
	{gke.Name, func(a *app) bool { return len(a.gke.projects) > 0 || a.gke.allProjects }},
	{rancher.Name, func(a *app) bool { return a.rancher.apiEndpoint != "" }},
	{aks.Name, func(a *app) bool {
		return len(a.aks.subscriptionIDs)+len(a.aks.subscriptionNames) > 0 || a.aks.resourceGroup != "" || a.aks.environment != ""
	}},
}

// readyAll readies the flags of one provider for --provider all: the checks
// of setProvider that concern the provider's own flags (not which flags
// belong to which provider: all takes every provider's).
func (a *app) readyAll(cmd *cobra.Command, name string) error {
	switch name {
	case oidc.Name:
		return a.readyOIDC(cmd)
	case gke.Name:
		if a.gke.internalIP && a.gke.dnsEndpoint {
			return cli.Usagef("--internal-ip and --dns-endpoint both choose the endpoint; give one")
		}
	case rancher.Name:
		return rancher.CheckEndpoint(a.rancher.apiEndpoint)
	case aks.Name:
		return a.checkAKSValues()
	}
	return nil
}

// discoverAll runs every configured provider concurrently and merges their
// clusters; a provider that fails as a whole is one warning line, and only
// when every one fails is it an error.
func (a *app) discoverAll(cmd *cobra.Command, sel connect.Selection, format string) error {
	type answer struct {
		clusters []connect.Cluster
		warnings []connect.Warning
		err      error
	}
	var names []string
	for _, p := range allProviders {
		if p.configured(a) {
			names = append(names, p.name)
		}
	}
	answers := make([]answer, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		if err := a.readyAll(cmd, n); err != nil {
			answers[i].err = err
			continue
		}
		p := a.providerNamed(n, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			cs, ws, err := p.Discover(cmd.Context(), sel)
			answers[i] = answer{cs, ws, err}
		}()
	}
	wg.Wait()
	var clusters []connect.Cluster
	failed := 0
	for i, ans := range answers {
		if ans.err != nil {
			failed++
			cli.Warn(a.stderr, name, oneLine(connect.Warning{Provider: names[i], Err: ans.err}))
			continue
		}
		for _, w := range ans.warnings {
			cli.Warn(a.stderr, name, oneLine(connect.Warning{Provider: names[i], Err: w}))
		}
		clusters = append(clusters, ans.clusters...)
	}
	if failed == len(names) {
		return errors.New("no provider answered (see the warnings above)")
	}
	connect.Sort(clusters)
	if len(clusters) == 0 && format == formatTable {
		cli.Warn(a.stderr, name, "no clusters found")
		return nil
	}
	return printAllClusters(a.stdout, format, clusters)
}

// printAllClusters is the merged listing: where a cluster is, in its
// provider's terms (region, project/location, server).
func printAllClusters(w io.Writer, format string, clusters []connect.Cluster) error {
	header := []string{"NAME", "PROVIDER", "WHERE", "VERSION", "STATUS", "ID"}
	rows := make([][]string, len(clusters))
	for i, c := range clusters {
		rows[i] = []string{c.Name, c.Provider, orDash(clusterWhere(c)), orDash(c.Version), orDash(c.Status), c.ID}
	}
	return printList(w, format, clusters, len(clusters), header, rows)
}

// clusterWhere says where a cluster is in its provider's terms.
func clusterWhere(c connect.Cluster) string {
	switch {
	case c.Project != "":
		return c.Project + "/" + c.Location
	case c.Region != "":
		return strings.TrimSuffix(c.Account+":"+c.Region, ":")
	}
	if u, err := url.Parse(c.Endpoint); err == nil {
		return u.Host
	}
	return ""
}
