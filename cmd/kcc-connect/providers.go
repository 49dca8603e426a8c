package main

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/aks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/eks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/gke"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/oidc"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/rancher"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/settings"
)

// providerHelp is how a provider is chosen, for --help (and
// docs/providers.md, which says the same).
const providerHelp = "Providers: --provider eks (the default), oidc, gke, aks or rancher (discover\n" +
	"also takes all). Without --provider on the command line, a cluster list or\n" +
	"OIDC cluster given there (--config-url, --issuer-url, --cluster-url) means oidc;\n" +
	"else KCC_CONNECT_PROVIDER or the config's provider; else oidc when those flags\n" +
	"come from the environment or the config; else eks. gke, aks and rancher are\n" +
	"chosen by --provider (or KCC_CONNECT_PROVIDER, config)."

// providerEKS is the EKS provider's name.
const providerEKS = "eks"

// oidcFlags are the oidc provider's flags: where its clusters come from and
// which to keep.
type oidcFlags struct {
	configURL string
	cluster   oidc.ListCluster
	caFile    string
	labels    []string
}

// gkeFlags are the gke provider's flags: the projects to list and the
// endpoint to write, as gcloud names them.
type gkeFlags struct {
	projects    []string
	allProjects bool
	internalIP  bool
	dnsEndpoint bool
}

// gkeOnly are the flags of the gke provider only.
var gkeOnly = []string{"project", "all-projects", "internal-ip", "dns-endpoint"}

// addGKEFlags adds the gke provider's flags.
func addGKEFlags(fs *pflag.FlagSet, a *app) {
	fs.StringArrayVar(&a.gke.projects, "project", nil, "[gke] Google Cloud `project` to list (repeatable; default: the ADC project, else gcloud's core/project)")
	fs.BoolVar(&a.gke.allProjects, "all-projects", false, "[gke] list every active project Resource Manager shows the credentials (with --project's)")
	fs.BoolVar(&a.gke.internalIP, "internal-ip", false, "[gke] write the cluster's private endpoint (gcloud's --internal-ip)")
	fs.BoolVar(&a.gke.dnsEndpoint, "dns-endpoint", false, "[gke] write the cluster's DNS endpoint (gcloud's --dns-endpoint)")
}

// sourceFlags are the flags that give oidc clusters.
var sourceFlags = []string{"config-url", "issuer-url", "cluster-url"}

// addProviderFlag adds --provider.
func addProviderFlag(fs *pflag.FlagSet, a *app) {
	fs.StringVar(&a.providerName, "provider", "", "cluster `provider`: eks, oidc, gke, aks, rancher, or all for discover (default: see Providers above)")
}

// addOIDCFlags adds the oidc provider's source flags, and --label when
// filter is set (discover and use).
func addOIDCFlags(fs *pflag.FlagSet, a *app, filter bool) {
	o := &a.oidc
	fs.StringVar(&o.configURL, "config-url", "", "[oidc] cluster list: an https:// `URL`, a file, or - for stdin (JSON or YAML)")
	fs.StringVar(&o.cluster.ID, "cluster-id", "", "[oidc] `id` of the one cluster given by flags")
	fs.StringVar(&o.cluster.Server, "cluster-url", "", "[oidc] https:// `URL` of its API server")
	fs.StringVar(&o.cluster.CAData, "cluster-ca-data", "", "[oidc] base64 PEM of its API server's CA")
	fs.StringVar(&o.caFile, "cluster-ca", "", "[oidc] PEM `file` of its API server's CA")
	fs.StringVar(&o.cluster.IssuerURL, "issuer-url", "", "[oidc] OpenID provider `URL` (also --oidc-issuer-url)")
	fs.StringVar(&o.cluster.ClientID, "client-id", "", "[oidc] OAuth client `id` users log in as (also --oidc-client-id)")
	fs.StringSliceVar(&o.cluster.ExtraScopes, "scopes", nil, "[oidc] extra `scope`s to ask for (repeatable; also --oidc-extra-scope)")
	if filter {
		fs.StringArrayVar(&o.labels, "label", nil, "[oidc] keep clusters labelled `key=value` (repeatable: all must match)")
	}
	// kcc-oidc's (kubelogin's) names work too.
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		switch name {
		case "oidc-issuer-url":
			name = "issuer-url"
		case "oidc-client-id":
			name = "client-id"
		case "oidc-extra-scope":
			name = "scopes"
		}
		return pflag.NormalizedName(name)
	})
}

// chooseProvider decides the provider of this command (providerHelp) and
// readies its flags.
func (a *app) chooseProvider(cmd *cobra.Command) error {
	fs := cmd.Flags()
	onCommandLine, given := false, false
	for _, n := range sourceFlags {
		if f := fs.Lookup(n); f != nil && f.Value.String() != "" {
			given = true
			onCommandLine = onCommandLine || f.Changed
		}
	}
	name := a.providerName
	switch {
	case fs.Changed("provider"):
	case onCommandLine:
		name = oidc.Name
	case name != "":
	case given:
		name = oidc.Name
	default:
		name = providerEKS
	}
	return a.setProvider(cmd, name)
}

// setProvider makes name the command's provider, after checking that no
// flag of the other provider was given on the command line.
func (a *app) setProvider(cmd *cobra.Command, name string) error {
	fs := cmd.Flags()
	if name != rancher.Name {
		if n := rancherFlagsGiven(fs); n != "" {
			return cli.Usagef("--%s is for --provider rancher, and the provider is %s", n, name)
		}
	}
	if name != gke.Name {
		for _, n := range gkeOnly {
			if fs.Changed(n) {
				return cli.Usagef("--%s is for --provider gke, and the provider is %s", n, name)
			}
		}
	}
	if err := checkAKSOnly(fs, name); err != nil {
		return err
	}
	if err := a.checkSAMLFlags(cmd, name); err != nil {
		return err
	}
	switch name {
	case aks.Name:
		if err := a.readyAKS(cmd); err != nil {
			return err
		}
	case providerEKS:
		for _, n := range append(sourceFlags, "label") {
			if fs.Changed(n) {
				return cli.Usagef("--%s is for --provider oidc, and the provider is eks", n)
			}
		}
	case gke.Name:
		for _, n := range append(append(sourceFlags, "label", "config-url", "cluster-id", "cluster-ca", "cluster-ca-data", "client-id", "scopes"), "profile", "all-profiles", "region", "all-regions", "role-arn", "exec") {
			if fs.Changed(n) && !(n == "exec" && fs.Lookup(n).Value.String() == gke.Plugin) {
				return cli.Usagef("--%s is not a flag of --provider gke", n)
			}
		}
		if a.gke.internalIP && a.gke.dnsEndpoint {
			return cli.Usagef("--internal-ip and --dns-endpoint both choose the endpoint; give one")
		}
	case rancher.Name:
		if err := a.readyRancher(cmd); err != nil {
			return err
		}
	case oidc.Name:
		for _, n := range []string{"profile", "all-profiles", "region", "all-regions", "role-arn", "exec"} {
			if fs.Changed(n) && !(n == "exec" && fs.Lookup(n).Value.String() == oidc.Plugin) {
				return cli.Usagef("--%s is for --provider eks, and the provider is oidc", n)
			}
		}
		if err := a.readyOIDC(cmd); err != nil {
			return err
		}
	default:
		if name == providerAll {
			return cli.Usagef("--provider all is for discover only; %s writes one provider's clusters", cmd.CommandPath())
		}
		return cli.Usagef("--provider %q: want eks, oidc, gke, aks or rancher", name)
	}
	a.chosen = name
	return nil
}

// readyOIDC reads --cluster-ca and checks that the flags name one source.
func (a *app) readyOIDC(cmd *cobra.Command) error {
	o := &a.oidc
	if o.configURL != "" && o.cluster.Server != "" {
		return cli.Usagef("--config-url lists clusters and --cluster-url gives one; give one of them")
	}
	if o.caFile != "" {
		if o.cluster.CAData != "" {
			return cli.Usagef("--cluster-ca and --cluster-ca-data both give the CA; give one")
		}
		pem, err := settings.ReadSource(cmd.Context(), a.httpClient, o.caFile)
		if err != nil {
			return fmt.Errorf("--cluster-ca: %w", err)
		}
		o.cluster.CAData = base64.StdEncoding.EncodeToString(pem)
	}
	if o.configURL == "" && o.cluster.ID == "" && o.cluster.Server != "" {
		return cli.Usagef("--cluster-url needs --cluster-id (the cluster's name in the kubeconfig)")
	}
	if o.configURL == "" && o.cluster.Server == "" {
		return cli.Usagef("the oidc provider needs --config-url (a cluster list) or --cluster-url with --cluster-id, --issuer-url and --client-id")
	}
	return nil
}

// labelSelection is --label as a map.
func (a *app) labelSelection() (map[string]string, error) {
	if len(a.oidc.labels) == 0 {
		return nil, nil
	}
	m := map[string]string{}
	for _, l := range a.oidc.labels {
		k, v, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			return nil, cli.Usagef("--label %q: want key=value", l)
		}
		m[k] = v
	}
	return m, nil
}

// provider is the chosen provider with the global flags applied.
func (a *app) provider(progress func(connect.Progress)) connect.Provider {
	return a.providerNamed(a.chosen, progress)
}

// providerNamed is the provider of that name with the global flags applied.
func (a *app) providerNamed(chosen string, progress func(connect.Progress)) connect.Provider {
	if chosen == rancher.Name {
		p, err := a.rancherProvider()
		if err != nil {
			return failed{rancher.Name, err}
		}
		return p
	}
	if chosen == aks.Name {
		return a.aksProvider()
	}
	if chosen == gke.Name {
		endpoint := gke.EndpointPublic
		switch {
		case a.gke.internalIP:
			endpoint = gke.EndpointInternal
		case a.gke.dnsEndpoint:
			endpoint = gke.EndpointDNS
		}
		return gke.New(gke.Options{
			Projects:    a.gke.projects,
			AllProjects: a.gke.allProjects,
			Endpoint:    endpoint,
			UserAgent:   name + "/" + appVersion(),
			Getenv:      a.getenv,
		})
	}
	if chosen == oidc.Name {
		return oidc.New(oidc.Options{
			ConfigURL:  a.oidc.configURL,
			Cluster:    a.oidc.cluster,
			Stdin:      a.stdin,
			HTTPClient: a.httpClient,
		})
	}
	return a.newProvider(a.eksOptions(progress))
}

// plugin is the token plugin of the chosen provider: --exec for eks (kcc-eks
// or aws), always kcc-oidc for oidc.
func (a *app) plugin(value string) (string, error) {
	if a.chosen == aks.Name {
		return aksPlugin(value), nil
	}
	if a.chosen == gke.Name {
		return gke.Plugin, nil
	}
	if a.chosen == rancher.Name {
		return rancher.Plugin, nil
	}
	if a.chosen == oidc.Name {
		return oidc.Plugin, nil
	}
	if value != eks.PluginKccEKS && value != eks.PluginAWS {
		return "", cli.Usagef("--exec %q: want %s or %s", value, eks.PluginKccEKS, eks.PluginAWS)
	}
	return value, nil
}
