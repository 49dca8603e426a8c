package aks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/containerservice/armcontainerservice/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"

	"github.com/IvMisticos/kube-credential-cache/internal/azureenv"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
)

// Name is the provider's id in listings and history.
const Name = "aks"

// ProfileAdmin is the Profile of a cluster reached with its admin
// credential (--admin): its user is another identity, and the history
// keeps it so that `kcc-connect to` asks for the admin credential again.
const ProfileAdmin = "admin"

// Server FQDN types (--server-fqdn-type): which server the credential
// names, as listClusterUserCredential's server-fqdn parameter asks.
const (
	FQDNAuto    = "auto" // AKS's choice: the private FQDN of a private cluster
	FQDNPublic  = "public"
	FQDNPrivate = "private"
)

// concurrency bounds the subscriptions listed at once.
const concurrency = 8

// Options say where to look and how to write.
type Options struct {
	// SubscriptionIDs and SubscriptionNames to list; none means every
	// subscription the identity sees.
	SubscriptionIDs, SubscriptionNames []string
	// ResourceGroup, when set, lists only that group of each subscription.
	ResourceGroup string
	// Admin writes the admin credential (listClusterAdminCredential).
	Admin bool
	// FQDNType is FQDNAuto (""), FQDNPublic or FQDNPrivate.
	FQDNType string
	// Environment names the cloud (azureenv.Lookup); "" is the public cloud.
	Environment string
	// Login is the identity for discovery (Logins, or "" for the default
	// chain) and, when set, the --login of the users written.
	Login    string
	TenantID string
	// UserAgent is sent with every request.
	UserAgent string
	// Getenv reads the environment (os.Getenv when nil); Stderr gets the
	// device-code prompt (os.Stderr when nil).
	Getenv func(string) string
	Stderr io.Writer
	// Transport, when set, carries the requests (tests).
	Transport policy.Transporter
}

// Provider is the aks provider.
type Provider struct {
	opts Options

	once     sync.Once
	env      azureenv.Environment
	subs     *armsubscriptions.Client
	cred     azcore.TokenCredential
	armOpts  *arm.ClientOptions
	err      error
	mu       sync.Mutex
	clusters map[string]*armcontainerservice.ManagedClustersClient
}

// New is the provider for opts.
func New(opts Options) *Provider {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	return &Provider{opts: opts, clusters: map[string]*armcontainerservice.ManagedClustersClient{}}
}

var (
	_ connect.Provider = (*Provider)(nil)
	_ connect.Resolver = (*Provider)(nil)
)

// Name is "aks".
func (*Provider) Name() string { return Name }

// connect makes the clients once: the cloud's endpoints and the identity,
// whose first token is fetched here, so that no credential is one error.
func (p *Provider) connect(ctx context.Context) error {
	p.once.Do(func() {
		p.err = func() error {
			env, err := azureenv.LookupFile(p.opts.Environment, p.opts.Getenv(azureenv.FileEnv))
			if err != nil {
				return err
			}
			p.env = env
			cfg := env.Cloud()
			co := azcore.ClientOptions{Cloud: cfg, Telemetry: policy.TelemetryOptions{ApplicationID: p.opts.UserAgent}}
			if p.opts.Transport != nil {
				co.Transport = p.opts.Transport
			}
			if p.cred, err = p.credential(co, !env.Known()); err != nil {
				return err
			}
			if err := p.checkToken(ctx, p.cred, cfg.Services[cloud.ResourceManager].Audience, cfg.ActiveDirectoryAuthorityHost); err != nil {
				return err
			}
			p.armOpts = &arm.ClientOptions{ClientOptions: co}
			p.subs, err = armsubscriptions.NewClient(p.cred, p.armOpts)
			return err
		}()
	})
	return p.err
}

// managedClusters is the managed clusters client of a subscription.
func (p *Provider) managedClusters(sub string) (*armcontainerservice.ManagedClustersClient, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.clusters[sub]; c != nil {
		return c, nil
	}
	c, err := armcontainerservice.NewManagedClustersClient(sub, p.cred, p.armOpts)
	if err != nil {
		return nil, err
	}
	p.clusters[sub] = c
	return c, nil
}

// subscription is one subscription to list.
type subscription struct{ id, name string }

func (s subscription) String() string {
	if s.name == "" || s.name == s.id {
		return s.id
	}
	return s.id + " (" + s.name + ")"
}

// Discover lists the clusters of every selected subscription,
// concurrently (at most concurrency at once). A subscription that fails
// is one warning; the others still answer.
func (p *Provider) Discover(ctx context.Context, _ connect.Selection) ([]connect.Cluster, []connect.Warning, error) {
	if err := p.connect(ctx); err != nil {
		return nil, nil, err
	}
	subs, err := p.subscriptions(ctx)
	if err != nil {
		return nil, nil, err
	}
	type result struct {
		clusters []connect.Cluster
		err      error
	}
	results := make([]result, len(subs))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i, s := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i].clusters, results[i].err = p.list(ctx, s)
		}()
	}
	wg.Wait()
	var out []connect.Cluster
	var warnings []connect.Warning
	for i, r := range results {
		if r.err != nil {
			warnings = append(warnings, connect.Warning{Subscription: subs[i].String(), Err: r.err})
			continue
		}
		out = append(out, r.clusters...)
	}
	connect.Sort(out)
	return out, warnings, nil
}

// subscriptions are the subscriptions to list: the ids given, the names
// given (looked up), or every enabled subscription the identity sees.
func (p *Provider) subscriptions(ctx context.Context) ([]subscription, error) {
	var out []subscription
	for _, id := range p.opts.SubscriptionIDs {
		out = append(out, subscription{id: id})
	}
	if len(p.opts.SubscriptionIDs) > 0 && len(p.opts.SubscriptionNames) == 0 {
		return out, nil
	}
	var all []subscription
	pager := p.subs.NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing subscriptions: %w", apiError(err))
		}
		for _, s := range page.Value {
			if s == nil || s.SubscriptionID == nil {
				continue
			}
			if s.State != nil && *s.State != armsubscriptions.SubscriptionStateEnabled && *s.State != armsubscriptions.SubscriptionStateWarned && *s.State != armsubscriptions.SubscriptionStatePastDue {
				continue
			}
			all = append(all, subscription{id: *s.SubscriptionID, name: deref(s.DisplayName)})
		}
	}
	if len(p.opts.SubscriptionNames) == 0 {
		sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
		return all, nil
	}
	for _, name := range p.opts.SubscriptionNames {
		found := false
		for _, s := range all {
			if strings.EqualFold(s.name, name) {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no subscription named %q is visible to this identity (az account list shows them)", name)
		}
	}
	return out, nil
}

// list is every cluster of a subscription (or of its --resource-group),
// all pages.
func (p *Provider) list(ctx context.Context, s subscription) ([]connect.Cluster, error) {
	mc, err := p.managedClusters(s.id)
	if err != nil {
		return nil, err
	}
	var out []connect.Cluster
	add := func(v []*armcontainerservice.ManagedCluster) {
		for _, c := range v {
			if c != nil {
				out = append(out, p.cluster(c))
			}
		}
	}
	if p.opts.ResourceGroup != "" {
		pager := mc.NewListByResourceGroupPager(p.opts.ResourceGroup, nil)
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return nil, apiError(err)
			}
			add(page.Value)
		}
		return out, nil
	}
	pager := mc.NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, apiError(err)
		}
		add(page.Value)
	}
	return out, nil
}

// Describe reads the cluster again by its resource ID.
func (p *Provider) Describe(ctx context.Context, c connect.Cluster) (connect.Cluster, error) {
	if err := p.connect(ctx); err != nil {
		return connect.Cluster{}, err
	}
	id, err := arm.ParseResourceID(c.ID)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.ContainerService/managedClusters") {
		return connect.Cluster{}, fmt.Errorf("%q is not an AKS cluster's resource ID", c.ID)
	}
	mc, err := p.managedClusters(id.SubscriptionID)
	if err != nil {
		return connect.Cluster{}, err
	}
	got, err := mc.Get(ctx, id.ResourceGroupName, id.Name, nil)
	if err != nil {
		return connect.Cluster{}, clusterError(c.ID, err)
	}
	out := p.cluster(&got.ManagedCluster)
	if c.Profile == ProfileAdmin {
		out.Profile = ProfileAdmin
	}
	return out, nil
}

// cluster is mc as a connect.Cluster; Endpoint is the FQDN the type asks
// for (Resolve replaces it with the credential's server).
func (p *Provider) cluster(mc *armcontainerservice.ManagedCluster) connect.Cluster {
	out := connect.Cluster{
		ID:       deref(mc.ID),
		Provider: Name,
		Name:     deref(mc.Name),
		Location: deref(mc.Location),
	}
	if id, err := arm.ParseResourceID(out.ID); err == nil {
		out.Subscription, out.ResourceGroup = id.SubscriptionID, id.ResourceGroupName
	}
	if p.opts.Admin {
		out.Profile = ProfileAdmin
	}
	aad, local := false, true
	if pr := mc.Properties; pr != nil {
		out.Version = deref(pr.CurrentKubernetesVersion)
		if out.Version == "" {
			out.Version = deref(pr.KubernetesVersion)
		}
		out.Status = deref(pr.ProvisioningState)
		if out.Status == "Succeeded" && pr.PowerState != nil && pr.PowerState.Code != nil {
			out.Status = string(*pr.PowerState.Code)
		}
		out.FQDN, out.PrivateFQDN = deref(pr.Fqdn), deref(pr.PrivateFQDN)
		if a := pr.AADProfile; a != nil && a.Managed != nil && *a.Managed {
			aad = true
			out.Tenant = deref(a.TenantID)
		}
		if pr.DisableLocalAccounts != nil && *pr.DisableLocalAccounts {
			local = false
		}
	}
	out.AAD, out.LocalAccounts = &aad, &local
	host := out.FQDN
	if p.opts.FQDNType == FQDNPrivate || (p.opts.FQDNType != FQDNPublic && out.PrivateFQDN != "") {
		host = out.PrivateFQDN
	}
	if host != "" {
		out.Endpoint = "https://" + host + ":443"
	}
	return out
}

// Resolve reads the cluster's credential (listClusterUserCredential, or
// the admin one) and takes the server, CA and user from its kubeconfig.
func (p *Provider) Resolve(ctx context.Context, c connect.Cluster) (connect.Cluster, error) {
	if err := p.connect(ctx); err != nil {
		return connect.Cluster{}, err
	}
	id, err := arm.ParseResourceID(c.ID)
	if err != nil {
		return connect.Cluster{}, fmt.Errorf("%q is not an AKS cluster's resource ID", c.ID)
	}
	mc, err := p.managedClusters(id.SubscriptionID)
	if err != nil {
		return connect.Cluster{}, err
	}
	var fqdn *string
	if t := p.opts.FQDNType; t == FQDNPublic || t == FQDNPrivate {
		fqdn = &t
	}
	admin := p.opts.Admin || c.Profile == ProfileAdmin
	var kcs []*armcontainerservice.CredentialResult
	action := "listClusterUserCredential"
	if admin {
		action = "listClusterAdminCredential"
		r, err := mc.ListClusterAdminCredentials(ctx, id.ResourceGroupName, id.Name, &armcontainerservice.ManagedClustersClientListClusterAdminCredentialsOptions{ServerFqdn: fqdn})
		if err != nil {
			return connect.Cluster{}, clusterError(c.ID, err)
		}
		kcs = r.Kubeconfigs
	} else {
		r, err := mc.ListClusterUserCredentials(ctx, id.ResourceGroupName, id.Name, &armcontainerservice.ManagedClustersClientListClusterUserCredentialsOptions{ServerFqdn: fqdn})
		if err != nil {
			return connect.Cluster{}, clusterError(c.ID, err)
		}
		kcs = r.Kubeconfigs
	}
	if len(kcs) == 0 || kcs[0] == nil || len(kcs[0].Value) == 0 {
		return connect.Cluster{}, fmt.Errorf("cluster %s: %s returned no kubeconfig", c.ID, action)
	}
	cred, err := parseCredential(kcs[0].Value)
	if err != nil {
		return connect.Cluster{}, fmt.Errorf("cluster %s: the kubeconfig %s returned %w; nothing written", c.ID, action, err)
	}
	if admin && cred.clientCert == "" {
		return connect.Cluster{}, fmt.Errorf("cluster %s: the admin credential has no client certificate", c.ID)
	}
	c.Endpoint, c.CertificateAuthority = cred.server, cred.ca
	c.ClientCertificate, c.ClientKey = "", ""
	if cred.aad {
		c.ServerID, c.ClientID = cred.serverID, cred.clientID
		if cred.tenant != "" {
			c.Tenant = cred.tenant
		}
	} else {
		c.ClientCertificate, c.ClientKey = cred.clientCert, cred.clientKey
	}
	return c, nil
}

// SubscriptionOf is the subscription of an AKS cluster's resource ID;
// false when id is not one.
func SubscriptionOf(id string) (string, bool) {
	r, err := arm.ParseResourceID(id)
	if err != nil || !strings.EqualFold(r.ResourceType.String(), "Microsoft.ContainerService/managedClusters") {
		return "", false
	}
	return r.SubscriptionID, true
}

// apiError is err in one line: ARM's status, code and message, without
// the request's details.
func apiError(err error) error {
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return errors.New(firstLine(err.Error()))
	}
	msg := ""
	if re.RawResponse != nil && re.RawResponse.Body != nil {
		var body struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if b, err := io.ReadAll(io.LimitReader(re.RawResponse.Body, 1<<16)); err == nil && json.Unmarshal(b, &body) == nil {
			msg = firstLine(body.Error.Message)
		}
	}
	out := fmt.Sprintf("%d %s", re.StatusCode, re.ErrorCode)
	if re.ErrorCode == "" {
		out = fmt.Sprintf("%d %s", re.StatusCode, http.StatusText(re.StatusCode))
	}
	if msg != "" {
		out += ": " + msg
	}
	return errors.New(out)
}

// clusterError says a cluster that is gone is gone.
func clusterError(id string, err error) error {
	var re *azcore.ResponseError
	if errors.As(err, &re) && re.StatusCode == http.StatusNotFound {
		return fmt.Errorf("cluster %s no longer exists (%v); run kcc-connect discover --provider aks to see the clusters there are", id, apiError(err))
	}
	return fmt.Errorf("cluster %s: %w", id, apiError(err))
}

func deref[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}
