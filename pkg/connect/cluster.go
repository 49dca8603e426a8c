package connect

import (
	"fmt"
	"sort"
)

// Cluster is one cluster a provider found, as one profile sees it: the same
// cluster reached through two profiles is two Clusters with the same ID.
type Cluster struct {
	// ID is stable and unique per cluster: the ARN for EKS.
	ID       string `json:"id" yaml:"id"`
	Provider string `json:"provider" yaml:"provider"`
	Name     string `json:"name" yaml:"name"`
	Account  string `json:"account" yaml:"account"`
	Region   string `json:"region" yaml:"region"`
	// Profile is the credentials profile that found the cluster; empty when
	// none was named and the SDK's default chain was used.
	Profile  string `json:"profile" yaml:"profile"`
	Endpoint string `json:"endpoint" yaml:"endpoint"`
	Version  string `json:"version" yaml:"version"`
	Status   string `json:"status" yaml:"status"`
	// RoleARN is the role the cluster's user assumes for its token, when one
	// was asked for (use --role-arn).
	RoleARN string `json:"roleArn,omitempty" yaml:"roleArn,omitempty"`
	// CertificateAuthority is the base64 PEM bundle the kubeconfig carries
	// as certificate-authority-data. Not secret, but long: left out of
	// listings.
	CertificateAuthority string `json:"-" yaml:"-"`

	// IssuerURL, ClientID and ExtraScopes are the OpenID provider the
	// cluster's API server trusts and the client its users log in as (the
	// oidc provider; empty for EKS).
	IssuerURL   string   `json:"issuerUrl,omitempty" yaml:"issuerUrl,omitempty"`
	ClientID    string   `json:"clientId,omitempty" yaml:"clientId,omitempty"`
	ExtraScopes []string `json:"extraScopes,omitempty" yaml:"extraScopes,omitempty"`
	// Labels are a cluster list's labels (oidc), which --label filters on.
	Labels map[string]string `json:"labels,omitempty" yaml:"labels,omitempty"`

	// Project, Location, PrivateEndpoint and Autopilot are a GKE cluster's
	// (the gke provider; Endpoint is then the server the kubeconfig gets).
	Project         string `json:"project,omitempty" yaml:"project,omitempty"`
	Location        string `json:"location,omitempty" yaml:"location,omitempty"`
	PrivateEndpoint string `json:"privateEndpoint,omitempty" yaml:"privateEndpoint,omitempty"`
	Autopilot       bool   `json:"autopilot,omitempty" yaml:"autopilot,omitempty"`
	// Kind is what the cluster is as the server that manages it says
	// (Rancher's provider field: rke2, k3s, eks, imported…).
	Kind string `json:"kind,omitempty" yaml:"kind,omitempty"`
	// ACE marks the entry of a Rancher cluster's authorized cluster
	// endpoint: a direct context, next to the one through Rancher.
	ACE bool `json:"ace,omitempty" yaml:"ace,omitempty"`
	// Subscription, ResourceGroup, AAD, LocalAccounts, FQDN, PrivateFQDN
	// and Tenant are an AKS cluster's (the aks provider; Location too). AAD
	// and LocalAccounts are pointers so that other providers' listings
	// leave them out while an AKS false shows.
	Subscription  string `json:"subscription,omitempty" yaml:"subscription,omitempty"`
	ResourceGroup string `json:"resourceGroup,omitempty" yaml:"resourceGroup,omitempty"`
	AAD           *bool  `json:"aad,omitempty" yaml:"aad,omitempty"`
	LocalAccounts *bool  `json:"localAccounts,omitempty" yaml:"localAccounts,omitempty"`
	FQDN          string `json:"fqdn,omitempty" yaml:"fqdn,omitempty"`
	PrivateFQDN   string `json:"privateFqdn,omitempty" yaml:"privateFqdn,omitempty"`
	Tenant        string `json:"tenant,omitempty" yaml:"tenant,omitempty"`
	// ServerID is the Entra ID application the cluster's API server
	// accepts tokens for (AKS's credential names it).
	ServerID string `json:"serverId,omitempty" yaml:"serverId,omitempty"`
	// ClientCertificate and ClientKey (base64 PEM) make the user a client
	// certificate instead of an exec (an AKS local account's credential):
	// never listed.
	ClientCertificate string `json:"-" yaml:"-"`
	ClientKey         string `json:"-" yaml:"-"`
	// Context is the context name the provider's own tool writes (gcloud's
	// gke_PROJECT_LOCATION_NAME), tried before the naming rule of
	// contextNames.
	Context string `json:"-" yaml:"-"`
}

// Selection says where to look.
type Selection struct {
	// Profiles to scan; empty means the default credential chain only.
	Profiles []string
	// AllProfiles scans every profile of the shared config and credentials
	// files (added to Profiles).
	AllProfiles bool
	// Regions to scan; empty means each profile's configured region.
	Regions []string
	// AllRegions scans every region the account has enabled.
	AllRegions bool
	// Labels keep only the clusters that carry every one of these labels
	// (providers whose clusters have labels: oidc).
	Labels map[string]string
}

// Warning is a part of the scan that failed while the rest answered: a
// profile without credentials, a region that refused the call.
type Warning struct {
	// Provider is the provider that failed as a whole (discover --provider
	// all), instead of a profile or project.
	Provider string
	// Subscription is the Azure subscription that failed (the aks
	// provider).
	Subscription string
	// Project is the GKE project that failed (the gke provider), instead of
	// a profile.
	Project string
	Profile string
	Region  string // empty when the whole profile failed
	Err     error
}

func (w Warning) Error() string {
	if w.Provider != "" {
		return fmt.Sprintf("provider %s: %v", w.Provider, w.Err)
	}
	if w.Subscription != "" {
		return fmt.Sprintf("subscription %s: %v", w.Subscription, w.Err)
	}
	if w.Project != "" {
		return fmt.Sprintf("project %s: %v", w.Project, w.Err)
	}
	p := w.Profile
	if p == "" {
		p = "(default)"
	}
	if w.Region == "" {
		return fmt.Sprintf("profile %s: %v", p, w.Err)
	}
	return fmt.Sprintf("profile %s, region %s: %v", p, w.Region, w.Err)
}

func (w Warning) Unwrap() error { return w.Err }

// Sort orders clusters by name, then account, region, profile, so listings
// and generated names do not depend on which request answered first.
func Sort(cs []Cluster) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Profile != b.Profile {
			return a.Profile < b.Profile
		}
		return a.ID < b.ID
	})
}
