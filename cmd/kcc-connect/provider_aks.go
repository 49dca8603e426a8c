package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/IvMisticos/kube-credential-cache/internal/azureenv"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/aks"
)

// aksFlags are the aks provider's flags: the subscriptions to list, the
// credential to write, the cloud and the identity, named as az and Azure
// kubelogin name them.
type aksFlags struct {
	subscriptionIDs   []string
	subscriptionNames []string
	resourceGroup     string
	admin             bool
	fqdnType          string
	login             string
	environment       string
	tenantID          string
}

// aksOnly are the flags of the aks provider only.
var aksOnly = []string{"subscription-id", "subscription-name", "resource-group", "admin", "server-fqdn-type", "login", "environment", "tenant-id"}

// addAKSFlags adds the aks provider's flags.
func addAKSFlags(fs *pflag.FlagSet, a *app) {
	f := &a.aks
	fs.StringArrayVar(&f.subscriptionIDs, "subscription-id", nil, "[aks] Azure subscription `id` to list (repeatable; default: every subscription the identity sees)")
	fs.StringArrayVar(&f.subscriptionNames, "subscription-name", nil, "[aks] Azure subscription `name` to list (repeatable)")
	fs.StringVar(&f.resourceGroup, "resource-group", "", "[aks] list only this resource `group` of each subscription")
	fs.BoolVar(&f.admin, "admin", false, "[aks] write the cluster's admin credential (listClusterAdminCredential; az aks get-credentials --admin)")
	fs.StringVar(&f.fqdnType, "server-fqdn-type", aks.FQDNAuto, "[aks] server the credential names: public, private or auto (AKS's choice)")
	fs.StringVar(&f.login, "login", "", "[aks] identity: devicecode, azurecli, spn, workloadidentity, msi or interactive (default: azidentity's chain); also the users' kcc-aks --login (default devicecode)")
	fs.StringVar(&f.environment, "environment", "", "[aks] cloud: AzurePublicCloud, AzureChinaCloud, AzureUSGovernmentCloud or AzureStackCloud (from $AZURE_ENVIRONMENT_FILEPATH)")
	fs.StringVar(&f.tenantID, "tenant-id", "", "[aks] Entra ID tenant `id` to sign in to (default: $AZURE_TENANT_ID, else the identity's)")
}

// checkAKSOnly refuses the aks flags given on the command line with
// another provider.
func checkAKSOnly(fs *pflag.FlagSet, name string) error {
	if name == aks.Name {
		return nil
	}
	for _, n := range aksOnly {
		if fs.Changed(n) {
			return cli.Usagef("--%s is for --provider aks, and the provider is %s", n, name)
		}
	}
	return nil
}

// readyAKS refuses the other providers' flags and checks the aks ones.
func (a *app) readyAKS(cmd *cobra.Command) error {
	fs := cmd.Flags()
	for _, n := range append(append(sourceFlags, "label", "cluster-id", "cluster-ca", "cluster-ca-data", "client-id", "scopes", "role-arn"), append(gkeOnly, "profile", "all-profiles", "region", "all-regions")...) {
		if fs.Changed(n) {
			return cli.Usagef("--%s is not a flag of --provider aks", n)
		}
	}
	if fs.Changed("exec") {
		if v := fs.Lookup("exec").Value.String(); v != aks.PluginKccAKS && v != aks.PluginKubelogin {
			return cli.Usagef("--exec %q: want %s or %s for --provider aks", v, aks.PluginKccAKS, aks.PluginKubelogin)
		}
	}
	return a.checkAKSValues()
}

// checkAKSValues checks the values of the aks provider's own flags (also
// for discover --provider all).
func (a *app) checkAKSValues() error {
	f := a.aks
	if !slices.Contains([]string{aks.FQDNAuto, aks.FQDNPublic, aks.FQDNPrivate}, f.fqdnType) {
		return cli.Usagef("--server-fqdn-type %q: want public, private or auto", f.fqdnType)
	}
	if f.login != "" && !slices.Contains(aks.Logins, f.login) {
		return cli.Usagef("--login %q: want one of %s", f.login, strings.Join(aks.Logins, ", "))
	}
	if _, err := azureenv.LookupFile(f.environment, a.getenv(azureenv.FileEnv)); err != nil {
		return cli.Usagef("--environment: %v", err)
	}
	return nil
}

// aksProvider is the aks provider with the flags applied.
func (a *app) aksProvider() connect.Provider {
	f := a.aks
	var stderr io.Writer = a.stderr
	return aks.New(aks.Options{
		SubscriptionIDs:   f.subscriptionIDs,
		SubscriptionNames: f.subscriptionNames,
		ResourceGroup:     f.resourceGroup,
		Admin:             f.admin,
		FQDNType:          f.fqdnType,
		Environment:       f.environment,
		Login:             f.login,
		TenantID:          f.tenantID,
		UserAgent:         name + "/" + appVersion(),
		Getenv:            a.getenv,
		Stderr:            stderr,
	})
}

// aksSubscriptionsOf scans only the subscriptions of the arguments when
// every one is a cluster's resource ID and no subscription was chosen.
func (a *app) aksSubscriptionsOf(args []string) {
	if len(args) == 0 || len(a.aks.subscriptionIDs) > 0 || len(a.aks.subscriptionNames) > 0 {
		return
	}
	var subs []string
	for _, arg := range args {
		sub, ok := aks.SubscriptionOf(arg)
		if !ok {
			return
		}
		if !slices.Contains(subs, sub) {
			subs = append(subs, sub)
		}
	}
	a.aks.subscriptionIDs = subs
}

// aksPlugin is --exec for aks: kubelogin, else kcc-aks (the flag's eks
// default means kcc-aks here).
func aksPlugin(value string) string {
	if value == aks.PluginKubelogin {
		return aks.PluginKubelogin
	}
	return aks.PluginKccAKS
}

func printAKSClusters(w io.Writer, format string, clusters []connect.Cluster) error {
	header := []string{"NAME", "SUBSCRIPTION", "RESOURCE GROUP", "LOCATION", "VERSION", "STATUS", "AAD", "LOCAL ACCOUNTS", "FQDN"}
	rows := make([][]string, len(clusters))
	for i, c := range clusters {
		fqdn := c.FQDN
		if fqdn == "" {
			fqdn = c.PrivateFQDN
		}
		rows[i] = []string{c.Name, c.Subscription, c.ResourceGroup, c.Location, c.Version, c.Status, yesNo(c.AAD), yesNo(c.LocalAccounts), orDash(fqdn)}
	}
	return printList(w, format, clusters, len(clusters), header, rows)
}

func yesNo(b *bool) string {
	if b == nil {
		return "-"
	}
	return fmt.Sprint(*b)
}
