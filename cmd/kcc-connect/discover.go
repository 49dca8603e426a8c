package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/aks"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/gke"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/oidc"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/rancher"
)

func newDiscoverCmd(a *app) *cobra.Command {
	var sel connect.Selection
	var format string
	cmd := &cobra.Command{
		Use:   "discover",
		Short: "List the clusters your profiles can see, or a cluster list holds",
		Long: "discover lists (all pages) and describes the EKS clusters of every selected\n" +
			"(profile, region) pair, concurrently. A profile or region that fails is one\n" +
			"warning line on stderr; the others still answer. With the oidc provider it\n" +
			"lists the clusters of the cluster list (--config-url) that carry every --label.\n\n" +
			providerHelp,
		Example: "  kcc-connect discover --all-profiles --region us-east-1 --region eu-west-1\n" +
			"  kcc-connect discover --profile prod --all-regions -o json\n" +
			"  kcc-connect discover --config-url https://example.com/clusters.yaml --label env=prod",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			var err error
			if sel.Labels, err = a.labelSelection(); err != nil {
				return err
			}
			if a.providerName == providerAll {
				return a.discoverAll(cmd, sel, format)
			}
			if err := a.chooseProvider(cmd); err != nil {
				return err
			}
			clusters, err := a.scan(cmd.Context(), sel)
			if err != nil {
				return err
			}
			if len(clusters) == 0 && format == formatTable {
				fmt.Fprintln(a.stderr, "kcc-connect: no clusters found")
				return nil
			}
			if a.chosen == oidc.Name {
				return printOIDCClusters(a.stdout, format, clusters)
			}
			if a.chosen == aks.Name {
				return printAKSClusters(a.stdout, format, clusters)
			}
			if a.chosen == gke.Name {
				return printGKEClusters(a.stdout, format, clusters)
			}
			if a.chosen == rancher.Name {
				return printRancherClusters(a.stdout, format, clusters)
			}
			return printClusters(a.stdout, format, clusters)
		},
	}
	addSelectionFlags(cmd.Flags(), &sel)
	addProviderFlag(cmd.Flags(), a)
	addOIDCFlags(cmd.Flags(), a, true)
	addGKEFlags(cmd.Flags(), a)
	addSAMLFlags(cmd.Flags(), a)
	addRancherFlags(cmd.Flags(), a, false)
	addAKSFlags(cmd.Flags(), a)
	addOutputFlag(cmd.Flags(), &format)
	return cmd
}

func printClusters(w io.Writer, format string, clusters []connect.Cluster) error {
	header := []string{"NAME", "ACCOUNT", "REGION", "PROFILE", "VERSION", "STATUS", "ID"}
	rows := make([][]string, len(clusters))
	for i, c := range clusters {
		rows[i] = []string{c.Name, c.Account, c.Region, orDash(c.Profile), c.Version, c.Status, c.ID}
	}
	return printList(w, format, clusters, len(clusters), header, rows)
}

func printGKEClusters(w io.Writer, format string, clusters []connect.Cluster) error {
	header := []string{"NAME", "PROJECT", "LOCATION", "VERSION", "STATUS", "AUTOPILOT", "ENDPOINT", "ID"}
	rows := make([][]string, len(clusters))
	for i, c := range clusters {
		rows[i] = []string{c.Name, c.Project, c.Location, c.Version, c.Status, fmt.Sprint(c.Autopilot), orDash(c.Endpoint), c.ID}
	}
	return printList(w, format, clusters, len(clusters), header, rows)
}

func printRancherClusters(w io.Writer, format string, clusters []connect.Cluster) error {
	header := []string{"NAME", "STATE", "PROVIDER", "VERSION", "ID"}
	rows := make([][]string, len(clusters))
	for i, c := range clusters {
		rows[i] = []string{c.Name, c.Status, orDash(c.Kind), orDash(c.Version), c.ID}
	}
	return printList(w, format, clusters, len(clusters), header, rows)
}

func printOIDCClusters(w io.Writer, format string, clusters []connect.Cluster) error {
	header := []string{"NAME", "SERVER", "ISSUER", "CLIENT ID", "LABELS", "ID"}
	rows := make([][]string, len(clusters))
	for i, c := range clusters {
		rows[i] = []string{c.Name, c.Endpoint, c.IssuerURL, c.ClientID, orDash(oidc.FormatLabels(c.Labels)), c.ID}
	}
	return printList(w, format, clusters, len(clusters), header, rows)
}

// noArgs refuses arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return cli.Usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}
