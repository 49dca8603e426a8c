package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/aks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/eks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/gke"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/oidc"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/rancher"
)

func newToCmd(a *app) *cobra.Command {
	var kubeconfig, plugin string
	var noCache bool
	cmd := &cobra.Command{
		Use:   "to ID|ALIAS|-",
		Short: "Write a history entry again and make it the current context",
		Long: "to reads the cluster of a history entry again (DescribeCluster, so a moved\n" +
			"endpoint or a rotated CA is picked up), writes its cluster, user and context\n" +
			"into the entry's kubeconfig (or -k) exactly as use does, and makes that context\n" +
			"current-context. - is the entry made current before the current one, so\n" +
			"`kcc-connect to -` twice goes back and forth. The user's plugin is --exec and\n" +
			"--no-cache, as for use (give them, or set them with kcc-connect config).\n\n" +
			"An oidc entry is read again from the cluster list or flags it came from:\n" +
			"give the same --config-url (or set it with kcc-connect config set config-url).\n" +
			"A gke entry is read again from the container API; a rancher entry from the\n" +
			"server its cluster id names, which generates a new token for kcc's store.",
		Example: "  kcc-connect to prod\n  kcc-connect to 3f2a9c1e -k -\n  kcc-connect to -",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Only a -k on the command line overrides the entry's file: a
			// kubeconfig default from the config or the environment was
			// in force when use wrote the entry, and named its file then.
			if !cmd.Flags().Changed("kubeconfig") {
				kubeconfig = ""
			}
			return a.to(cmd, args[0], kubeconfig, plugin, noCache)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&kubeconfig, "kubeconfig", "k", "", "kubeconfig `file` to write, - to print a standalone one (default: the entry's)")
	f.StringVar(&plugin, "exec", eks.PluginKccEKS, "[eks] token plugin: kcc-eks or aws (aws eks get-token); oidc users run kcc-oidc")
	f.BoolVar(&noCache, "no-cache", false, "run the plugin directly, without kcc-cache")
	addOIDCFlags(f, a, false)
	addLoginFlags(f, a)
	addGKEFlags(f, a)
	addRancherFlags(f, a, true)
	addAKSFlags(f, a)
	return cmd
}

func (a *app) to(cmd *cobra.Command, ref, kubeconfig, plugin string, noCache bool) error {
	ctx := cmd.Context()
	store, err := a.historyStore()
	if err != nil {
		return err
	}
	f, err := store.Load()
	if err != nil {
		return err
	}
	e, err := f.Find(ref)
	if err != nil {
		return err
	}
	provider := e.Provider
	if provider == "" {
		provider = providerEKS // entries from before there were providers
	}
	want := connect.Cluster{
		ID: e.ClusterID, Provider: e.Provider, Name: clusterName(e.ClusterID),
		Region: e.Region, Profile: e.Profile, RoleARN: e.RoleARN,
	}
	switch provider {
	case providerEKS, oidc.Name, aks.Name:
	case gke.Name:
		project, location, cluster, ok := gke.ParseContextName(e.ClusterID)
		if !ok {
			return fmt.Errorf("history entry %s: %q is not a GKE cluster's gke_PROJECT_LOCATION_NAME", e.ID, e.ClusterID)
		}
		want.Project, want.Location, want.Name = project, location, cluster
	case rancher.Name:
		// The entry's cluster names its server: ENDPOINT/clusters/ID.
		if !cmd.Flags().Changed("api-endpoint") {
			a.rancher.apiEndpoint = rancher.EndpointOf(e.ClusterID)
		}
	default:
		return fmt.Errorf("history entry %s is a %q cluster; this kcc-connect writes eks, oidc, gke, aks and rancher ones", e.ID, e.Provider)
	}
	if err := a.setProvider(cmd, provider); err != nil {
		return err
	}
	if plugin, err = a.plugin(plugin); err != nil {
		return err
	}
	if provider == providerEKS && strings.HasPrefix(e.Profile, samlProfilePrefix) {
		if err := a.samlRelogin(ctx, e.Profile, e.Region); err != nil {
			return fmt.Errorf("history entry %s: %w", e.ID, err)
		}
	}
	p := a.provider(nil)
	cluster, err := p.Describe(ctx, want)
	if err != nil {
		return fmt.Errorf("history entry %s: %w", e.ID, settleRancher(ctx, p, err))
	}
	if kubeconfig == "" {
		kubeconfig = e.Kubeconfig
	}
	// The context keeps the name it has in the history (and in the file,
	// which Use keeps anyway when the context is still there); the entry
	// keeps its alias: Alias here only names the context.
	entries, err := connect.Use(ctx, p, []connect.Cluster{cluster}, connect.UseOptions{
		NameOptions: connect.NameOptions{Alias: e.Context},
		Kubeconfig:  kubeconfig,
		Out:         a.stdout,
		SetCurrent:  true,
		Plugin:      plugin,
		NoCache:     noCache,
		Recorder:    recorderFunc(func(ctx context.Context, ce connect.Entry) error { ce.Alias = ""; return a.Record(ctx, ce) }),
	})
	err = settleRancher(ctx, p, err)
	if err != nil && !errors.Is(err, connect.ErrRecord) {
		return err
	}
	if err != nil {
		cli.Warn(a.stderr, name, oneLine(err))
	}
	if kubeconfig != connect.Stdout {
		fmt.Fprintf(a.stdout, "current-context is %q (%s)\n", entries[0].ContextName, entries[0].Kubeconfig)
	}
	return nil
}

// clusterName is the name in an EKS cluster ARN
// (arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME), which Describe asks for.
func clusterName(id string) string {
	if i := strings.LastIndex(id, ":cluster/"); i >= 0 {
		return id[i+len(":cluster/"):]
	}
	return id
}

// recorderFunc is a function as a connect.Recorder.
type recorderFunc func(context.Context, connect.Entry) error

func (f recorderFunc) Record(ctx context.Context, e connect.Entry) error { return f(ctx, e) }

// Compile-time check: the history recorder is a connect.Recorder.
var _ connect.Recorder = (*app)(nil)
