package connect

import (
	"context"

	"github.com/IvMisticos/kube-credential-cache/pkg/connect/kubeconfig"
)

// Exec is the exec credential plugin a cluster's user runs.
type Exec = kubeconfig.Exec

// EnvVar is one exec.env entry.
type EnvVar = kubeconfig.EnvVar

// Provider is one kind of cluster (EKS, and later AKS or Rancher): it finds
// clusters and says how a kubeconfig user gets a credential for one.
type Provider interface {
	// Name is the provider's id in listings and history, e.g. "eks".
	Name() string
	// Discover lists the clusters of the selection. Parts of the scan that
	// fail are warnings and the rest still answer; the error is for a
	// selection that cannot be scanned at all (an unknown profile, say).
	Discover(ctx context.Context, sel Selection) ([]Cluster, []Warning, error)
	// Describe reads one cluster again, so that a moved endpoint or a
	// rotated CA is picked up.
	Describe(ctx context.Context, c Cluster) (Cluster, error)
	// Exec is the plugin the cluster's user runs, without kcc-cache (Entries
	// wraps it).
	Exec(c Cluster, plugin string) (Exec, error)
}

// Resolver is a Provider whose clusters' server, CA and user come from a
// credential read when the entry is written (AKS's
// listClusterUserCredential), not from discovery: Use resolves each
// cluster before it builds the entries, so a failure writes nothing.
type Resolver interface {
	Resolve(ctx context.Context, c Cluster) (Cluster, error)
}
