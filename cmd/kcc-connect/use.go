package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/kubeconfigfile"
	"github.com/IvMisticos/kube-credential-cache/internal/termtext"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/aks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/eks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/oidc"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/picker"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/rancher"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/settings"
)

type useFlags struct {
	sel        connect.Selection
	all        bool
	kubeconfig string
	alias      string
	setCurrent optionalBool
	template   string
	roleARN    string
	plugin     string
	noCache    bool
}

func newUseCmd(a *app) *cobra.Command {
	var f useFlags
	cmd := &cobra.Command{
		Use:   "use [ID|NAME]...",
		Short: "Write kubeconfig entries for clusters",
		Long: "use writes one cluster, user and context per selected cluster into the\n" +
			"kubeconfig (-k, else $KUBECONFIG's files, else ~/.kube/config), leaving every\n" +
			"other byte as it was. The user runs kcc-cache kcc-eks, so tokens\n" +
			"are cached from the first kubectl call (kcc-cache kcc-oidc with the oidc\n" +
			"provider). A cluster is named by its ARN (its id in a cluster list) or, when\n" +
			"unambiguous, by its name; with no argument on a terminal, pick one from a list.\n\n" +
			"Context names: the cluster's name when no other selected cluster and no context\n" +
			"of the file has it; else qualified with what tells the clusters apart,\n" +
			"NAME@REGION, NAME@ACCOUNT or NAME@ACCOUNT:REGION (and /PROFILE+ROLE when one\n" +
			"cluster is reached twice). A context that already joins the same cluster and\n" +
			"user keeps its name. Clusters are named by ARN, users ARN@PROFILE[+ROLE-ARN]\n" +
			"(ARN@ with no --profile: the default credential chain).\n\n" +
			"current-context: a single cluster's context becomes current, as with aws eks\n" +
			"update-kubeconfig; --set-current=false (or `kcc-connect config set set-current\n" +
			"false`) leaves it alone. With several clusters it is left alone unless\n" +
			"set-current is true (flag, KCC_CONNECT_SET_CURRENT or config): then the first\n" +
			"context listed becomes current.\n\n" +
			"Several files in $KUBECONFIG are edited as kubectl config set-* and use-context\n" +
			"do: a cluster, user or context is changed in the first file that has one of\n" +
			"its name; a new one, and current-context, go to the first file that exists.\n\n" +
			providerHelp,
		Example: "  kcc-connect use demo --profile dev --region eu-west-1\n" +
			"  kcc-connect use --all --all-profiles --context-template '{{.Name}}-{{.Region}}'\n" +
			"  kcc-connect use arn:aws:eks:us-east-1:111122223333:cluster/demo -k - > demo.kubeconfig\n" +
			"  kcc-connect use --all --config-url https://example.com/clusters.yaml --label env=dev",
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.use(cmd, args, f)
		},
	}
	fs := cmd.Flags()
	addSelectionFlags(fs, &f.sel)
	addProviderFlag(fs, a)
	addOIDCFlags(fs, a, true)
	addGKEFlags(fs, a)
	addRancherFlags(fs, a, true)
	addAKSFlags(fs, a)
	fs.BoolVar(&f.all, "all", false, "write every cluster found")
	fs.StringVarP(&f.kubeconfig, "kubeconfig", "k", "", "kubeconfig `file` to write, - to print a standalone one (default: like kubectl)")
	fs.StringVar(&f.alias, "alias", "", "context `name` for the one cluster")
	fs.Var(&f.setCurrent, "set-current", "make the (first) new context current-context (default: true for one cluster, false for several)")
	fs.Lookup("set-current").NoOptDefVal = "true"
	fs.StringVar(&f.template, "context-template", "", "Go `template` of context names over the cluster's fields (.Name .Region .Account .Profile .ID .RoleARN)")
	fs.StringVar(&f.roleARN, "role-arn", "", "IAM role `ARN` the token is made with (kcc-eks --role-arn); with --idp-protocol saml, the role to take from the SAML assertion")
	fs.StringVar(&f.plugin, "exec", eks.PluginKccEKS, "[eks] token plugin: kcc-eks or aws (aws eks get-token); oidc users run kcc-oidc")
	fs.BoolVar(&f.noCache, "no-cache", false, "run the plugin directly, without kcc-cache")
	addSAMLFlags(fs, a)
	return cmd
}

func (a *app) use(cmd *cobra.Command, args []string, f useFlags) error {
	if f.all && len(args) > 0 {
		return cli.Usagef("use takes cluster ids or names, or --all, not both")
	}
	if err := a.chooseProvider(cmd); err != nil {
		return err
	}
	if a.samlOn() {
		a.saml.roleARN = f.roleARN
	}
	plugin, err := a.plugin(f.plugin)
	if err != nil {
		return err
	}
	if f.alias != "" && f.template != "" {
		return cli.Usagef("--alias and --context-template both name contexts; give one")
	}
	pick := !f.all && len(args) == 0
	in, isFile := a.stdin.(*os.File)
	if pick && !(isFile && a.terminal(in) && a.terminal(a.stderr)) {
		return cli.Usagef("name the clusters to use (ID or NAME), or --all; with no argument use shows a picker, which needs a terminal")
	}
	var files []string
	if f.kubeconfig == "" {
		if files, err = kubeconfigfile.Files(a.getenv); err != nil {
			return err
		}
	}
	sel := f.sel
	if sel.Labels, err = a.labelSelection(); err != nil {
		return err
	}
	if a.chosen == providerEKS && len(sel.Regions) == 0 && !sel.AllRegions {
		// Only ARNs named: scan just their regions.
		sel.Regions = arnRegions(args)
	}
	if a.chosen == aks.Name {
		a.aksSubscriptionsOf(args)
	}
	clusters, err := a.scan(cmd.Context(), sel)
	if err != nil {
		return err
	}
	if rp, ok := a.provider(nil).(*rancher.Provider); ok {
		// Rancher's own cluster id (c-xxxxx) names a cluster too.
		args = append([]string(nil), args...)
		for i, arg := range args {
			for _, c := range clusters {
				if c.ID == rp.ClusterID(arg) {
					args[i] = c.ID
				}
			}
		}
	}
	var chosen []connect.Cluster
	switch {
	case f.all:
		chosen = clusters
	case pick:
		c, err := a.pick(in, clusters)
		if err != nil {
			return err
		}
		chosen = []connect.Cluster{c}
	default:
		if chosen, err = selectClusters(clusters, args, a.scope(sel)); err != nil {
			return err
		}
	}
	if len(chosen) == 0 {
		return errors.New("no clusters found")
	}
	if a.samlOn() {
		if err := a.saveSAML(); err != nil {
			return err
		}
	} else if a.chosen == providerEKS {
		for i := range chosen {
			chosen[i].RoleARN = f.roleARN
		}
	}
	setCurrent := f.setCurrent.or(len(chosen) == 1)
	p := a.provider(nil)
	current := ""
	if rp, ok := p.(*rancher.Provider); ok {
		if chosen, current, err = a.expandRancher(cmd, rp, chosen); err != nil {
			return err
		}
	}
	entries, err := connect.Use(cmd.Context(), p, chosen, connect.UseOptions{
		NameOptions: connect.NameOptions{Alias: f.alias, ContextTemplate: f.template},
		Kubeconfig:  f.kubeconfig,
		Kubeconfigs: files,
		Out:         a.stdout,
		SetCurrent:  setCurrent,
		Current:     current,
		Plugin:      plugin,
		NoCache:     f.noCache,
		Recorder:    a,
	})
	err = settleRancher(cmd.Context(), p, err)
	if err != nil && !errors.Is(err, connect.ErrRecord) {
		return err
	}
	if err != nil {
		cli.Warn(a.stderr, name, oneLine(err))
	}
	if f.kubeconfig == connect.Stdout {
		return nil
	}
	for _, e := range entries {
		fmt.Fprintf(a.stdout, "context %q: cluster %s, user %s\n", e.ContextName, termtext.Clean(e.ClusterName), termtext.Clean(e.UserName))
	}
	if setCurrent {
		fmt.Fprintf(a.stdout, "current-context is %q\n", entries[0].ContextName)
	}
	return nil
}

// optionalBool is a boolean flag that tells "not given" from false: the
// flag, KCC_CONNECT_* or the config file set it (settings.Apply calls Set);
// otherwise the command decides.
type optionalBool struct{ set, value bool }

func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	b.set, b.value = true, v
	return nil
}

// Type is "bool", so that help shows no value and settings.Check checks a
// config value as a boolean.
func (b *optionalBool) Type() string { return "bool" }

func (b *optionalBool) String() string {
	if !b.set {
		return ""
	}
	return strconv.FormatBool(b.value)
}

// or is the value given, else def.
func (b *optionalBool) or(def bool) bool {
	if b.set {
		return b.value
	}
	return def
}

// arnRegions are the regions of the arguments when every one is an ARN,
// else none (the selection's regions apply).
func arnRegions(args []string) []string {
	var regions []string
	for _, a := range args {
		if !eks.IsARN(a) {
			return nil
		}
		regions = append(regions, eks.RegionOf(a))
	}
	return regions
}

// selectClusters resolves each argument to one cluster: an ID, else a
// name. A name or ID found more than once (same name in two places, or one
// cluster seen by two profiles) is an error listing the candidates.
func selectClusters(clusters []connect.Cluster, args []string, scope string) ([]connect.Cluster, error) {
	var out []connect.Cluster
	for _, arg := range args {
		var byID, byName []connect.Cluster
		for _, c := range clusters {
			if c.ID == arg {
				byID = append(byID, c)
			}
			if c.Name == arg {
				byName = append(byName, c)
			}
		}
		matches := byID
		if len(matches) == 0 {
			matches = byName
		}
		switch len(matches) {
		case 0:
			return nil, fmt.Errorf("no cluster %q found (%s)", arg, scope)
		case 1:
			out = append(out, matches[0])
		default:
			var c []string
			for _, m := range matches {
				c = append(c, fmt.Sprintf("%s (profile %s)", m.ID, orDash(m.Profile)))
			}
			return nil, fmt.Errorf("%q matches %d clusters: %s; name one by ID, or narrow with --profile or --region", arg, len(matches), strings.Join(c, ", "))
		}
	}
	return out, nil
}

// scope says where a scan looked, for a "not found".
func (a *app) scope(sel connect.Selection) string {
	if a.chosen == rancher.Name {
		return "looked in " + a.rancher.apiEndpoint
	}
	if a.chosen == oidc.Name {
		where := "the cluster flags"
		if a.oidc.configURL != "" {
			where = settings.Redact(a.oidc.configURL)
		}
		if len(sel.Labels) > 0 {
			return "looked in " + where + ", labels " + oidc.FormatLabels(sel.Labels)
		}
		return "looked in " + where
	}
	profiles := "the default profile"
	switch {
	case sel.AllProfiles:
		profiles = "every profile"
	case len(sel.Profiles) > 0:
		profiles = "profiles " + strings.Join(sel.Profiles, ", ")
	}
	regions := "their regions"
	switch {
	case sel.AllRegions:
		regions = "every enabled region"
	case len(sel.Regions) > 0:
		regions = "regions " + strings.Join(sel.Regions, ", ")
	}
	return "looked in " + profiles + ", " + regions
}

// pick shows the clusters in a picker on the terminal.
func (a *app) pick(in *os.File, clusters []connect.Cluster) (connect.Cluster, error) {
	if len(clusters) == 0 {
		return connect.Cluster{}, errors.New("no clusters found to pick from")
	}
	labels := make([]string, len(clusters))
	for i, c := range clusters {
		labels[i] = termtext.Clean(fmt.Sprintf("%-30s %-14s %-15s %s", c.Name, c.Account, c.Region, orDash(c.Profile)))
		if c.Provider == oidc.Name {
			labels[i] = termtext.Clean(fmt.Sprintf("%-30s %-40s %s", c.Name, c.Endpoint, oidc.FormatLabels(c.Labels)))
		}
		if c.Provider == rancher.Name {
			labels[i] = termtext.Clean(fmt.Sprintf("%-30s %-14s %-10s %s", c.Name, c.Status, orDash(c.Kind), c.ID))
		}
	}
	i, err := picker.Pick(in, a.stderr, labels)
	if err != nil {
		return connect.Cluster{}, err
	}
	return clusters[i], nil
}
