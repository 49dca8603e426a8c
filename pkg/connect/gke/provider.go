package gke

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
	cloudresourcemanager "google.golang.org/api/cloudresourcemanager/v1"
	container "google.golang.org/api/container/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// Name is the provider's id in listings and history.
const Name = "gke"

// Plugin is the one plugin its users run, as gcloud writes it.
const Plugin = contract.GKECommand

// Endpoint kinds: which address of a cluster the kubeconfig's server is,
// as gcloud's get-credentials flags choose it.
const (
	EndpointPublic   = ""             // the cluster's endpoint
	EndpointInternal = "internal-ip"  // --internal-ip: the private endpoint
	EndpointDNS      = "dns-endpoint" // --dns-endpoint: the DNS endpoint
)

// Options say which projects to scan and which endpoint to write.
type Options struct {
	// Projects to list; empty (and no AllProjects) means the ADC project
	// (else gcloud's core/project).
	Projects []string
	// AllProjects adds every active project Resource Manager lists.
	AllProjects bool
	Endpoint    string
	// UserAgent is sent with every request.
	UserAgent string
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
}

// Provider is the gke provider.
type Provider struct {
	opts Options

	once sync.Once
	svc  *container.Service
	crm  *cloudresourcemanager.Service
	proj string // the default project
	err  error
}

// New is the provider for opts.
func New(opts Options) *Provider {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	return &Provider{opts: opts}
}

var _ connect.Provider = (*Provider)(nil)

// Name is "gke".
func (*Provider) Name() string { return Name }

// Discover lists every location's clusters of each project
// (projects.locations.clusters.list with location "-"). A project that
// fails (no access, say) is a warning and the others still answer.
func (p *Provider) Discover(ctx context.Context, _ connect.Selection) ([]connect.Cluster, []connect.Warning, error) {
	svc, err := p.service(ctx)
	if err != nil {
		return nil, nil, err
	}
	projects := p.opts.Projects
	if p.opts.AllProjects {
		all, err := p.allProjects(ctx)
		if err != nil {
			return nil, nil, err
		}
		projects = union(projects, all)
	}
	if len(projects) == 0 && !p.opts.AllProjects {
		if p.proj == "" {
			return nil, nil, errors.New("no project: give --project, or set one in the credentials or with gcloud config set project")
		}
		projects = []string{p.proj}
	}
	var out []connect.Cluster
	var warnings []connect.Warning
	for _, project := range projects {
		resp, err := svc.Projects.Locations.Clusters.List("projects/" + project + "/locations/-").Context(ctx).Do()
		if err != nil {
			warnings = append(warnings, connect.Warning{Project: project, Err: apiError(err)})
			continue
		}
		if len(resp.MissingZones) > 0 {
			warnings = append(warnings, connect.Warning{Project: project, Err: fmt.Errorf("zones that did not answer: %s", strings.Join(resp.MissingZones, ", "))})
		}
		for _, c := range resp.Clusters {
			out = append(out, p.cluster(project, c))
		}
	}
	connect.Sort(out)
	return out, warnings, nil
}

// allProjects is every active project the credentials see
// (Resource Manager's projects.list, all pages).
func (p *Provider) allProjects(ctx context.Context) ([]string, error) {
	var out []string
	err := p.crm.Projects.List().Context(ctx).Pages(ctx, func(r *cloudresourcemanager.ListProjectsResponse) error {
		for _, pr := range r.Projects {
			if pr.LifecycleState == "ACTIVE" {
				out = append(out, pr.ProjectId)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing projects (--all-projects): %w", apiError(err))
	}
	return out, nil
}

// union is a followed by the names of b it lacks.
func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string(nil), a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Describe reads the cluster again (projects.locations.clusters.get).
func (p *Provider) Describe(ctx context.Context, c connect.Cluster) (connect.Cluster, error) {
	svc, err := p.service(ctx)
	if err != nil {
		return connect.Cluster{}, err
	}
	got, err := svc.Projects.Locations.Clusters.Get("projects/" + c.Project + "/locations/" + c.Location + "/clusters/" + c.Name).Context(ctx).Do()
	if err != nil {
		return connect.Cluster{}, fmt.Errorf("cluster %s: %w", c.ID, apiError(err))
	}
	return p.cluster(c.Project, got), nil
}

// Exec is gcloud's own exec entry: gke-gcloud-auth-plugin, no arguments,
// its install hint, and the cluster's info passed to it.
func (p *Provider) Exec(c connect.Cluster, plugin string) (connect.Exec, error) {
	if plugin != "" && plugin != Plugin {
		return connect.Exec{}, fmt.Errorf("unknown exec plugin %q for GKE clusters (want %s)", plugin, Plugin)
	}
	var b contract.GKE
	return connect.Exec{
		APIVersion:         execcred.APIVersionV1beta1,
		Command:            b.Command(),
		Args:               b.Args(),
		InstallHint:        contract.GKEInstallHint,
		ProvideClusterInfo: true,
	}, nil
}

// ContextName is gcloud's name of a cluster's kubeconfig entries.
func ContextName(project, location, name string) string {
	return "gke_" + project + "_" + location + "_" + name
}

// ParseContextName is the project, location and name of gcloud's
// gke_PROJECT_LOCATION_NAME (none of which has an underscore).
func ParseContextName(s string) (project, location, name string, ok bool) {
	parts := strings.Split(s, "_")
	if len(parts) != 4 || parts[0] != "gke" || parts[1] == "" || parts[2] == "" || parts[3] == "" {
		return "", "", "", false
	}
	return parts[1], parts[2], parts[3], true
}

// cluster is c as a connect.Cluster, its Endpoint the server gcloud would
// write for the chosen endpoint kind ("" when the cluster has none of that
// kind).
func (p *Provider) cluster(project string, c *container.Cluster) connect.Cluster {
	id := ContextName(project, c.Location, c.Name)
	out := connect.Cluster{
		ID:       id,
		Provider: Name,
		Name:     c.Name,
		Project:  project,
		Location: c.Location,
		Version:  c.CurrentMasterVersion,
		Status:   c.Status,
		Context:  id,
	}
	if c.Autopilot != nil {
		out.Autopilot = c.Autopilot.Enabled
	}
	if c.PrivateClusterConfig != nil {
		out.PrivateEndpoint = c.PrivateClusterConfig.PrivateEndpoint
	}
	if c.MasterAuth != nil {
		out.CertificateAuthority = c.MasterAuth.ClusterCaCertificate
	}
	var dns string
	ipOff := false
	if e := c.ControlPlaneEndpointsConfig; e != nil {
		if e.DnsEndpointConfig != nil {
			dns = e.DnsEndpointConfig.Endpoint
		}
		ipOff = e.IpEndpointsConfig != nil && !e.IpEndpointsConfig.Enabled
	}
	host := c.Endpoint
	switch {
	case p.opts.Endpoint == EndpointDNS || ipOff:
		// gcloud writes no CA for a DNS endpoint: its certificate is
		// publicly trusted.
		host, out.CertificateAuthority = dns, ""
	case p.opts.Endpoint == EndpointInternal:
		host = out.PrivateEndpoint
	}
	if host != "" {
		out.Endpoint = "https://" + host
	}
	return out
}

// service is the container API client, made once: gcloud's endpoint
// override and CA file, and ADC for the token.
func (p *Provider) service(ctx context.Context) (*container.Service, error) {
	p.once.Do(func() { p.err = p.newService(ctx) })
	return p.svc, p.err
}

// newService makes the container and Resource Manager clients.
func (p *Provider) newService(ctx context.Context) error {
	cfg, err := loadGcloudConfig(p.opts.Getenv)
	if err != nil {
		return fmt.Errorf("gcloud configuration: %w", err)
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	if f := cfg.get("core/custom_ca_certs_file"); f != "" {
		pem, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("core/custom_ca_certs_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("core/custom_ca_certs_file %s: no PEM certificate", f)
		}
		// gcloud trusts this file instead of the system's roots.
		base.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	plain := &http.Client{Transport: base}
	creds, err := p.credentials(context.WithValue(ctx, oauth2.HTTPClient, plain), cfg)
	if err != nil {
		return err
	}
	p.proj = creds.ProjectID
	if p.proj == "" {
		p.proj = cfg.get("core/project")
	}
	client := &http.Client{Transport: &oauth2.Transport{Source: creds.TokenSource, Base: base}}
	opts := func(api string) []option.ClientOption {
		o := []option.ClientOption{option.WithHTTPClient(client)}
		if ep := cfg.get("api_endpoint_overrides/" + api); ep != "" {
			if !strings.HasSuffix(ep, "/") {
				ep += "/"
			}
			o = append(o, option.WithEndpoint(ep))
		}
		if p.opts.UserAgent != "" {
			o = append(o, option.WithUserAgent(p.opts.UserAgent))
		}
		return o
	}
	if p.svc, err = container.NewService(ctx, opts("container")...); err != nil {
		return fmt.Errorf("container API client: %w", err)
	}
	if p.crm, err = cloudresourcemanager.NewService(ctx, opts("cloudresourcemanager")...); err != nil {
		return fmt.Errorf("resource manager API client: %w", err)
	}
	return nil
}

// credentials are Application Default Credentials: the file of
// GOOGLE_APPLICATION_CREDENTIALS, else gcloud's ADC file in its
// configuration directory, else the rest of the ADC chain.
func (p *Provider) credentials(ctx context.Context, cfg gcloudConfig) (*google.Credentials, error) {
	const scope = "https://www.googleapis.com/auth/cloud-platform"
	if p.opts.Getenv("GOOGLE_APPLICATION_CREDENTIALS") == "" {
		b, err := os.ReadFile(filepath.Join(cfg.dir, "application_default_credentials.json"))
		if err == nil {
			// gcloud writes this file; its own type says how to read it.
			var f struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(b, &f); err != nil {
				return nil, fmt.Errorf("application default credentials: %w", err)
			}
			creds, err := google.CredentialsFromJSONWithType(ctx, b, google.CredentialsType(f.Type), scope)
			if err != nil {
				return nil, fmt.Errorf("application default credentials: %w", err)
			}
			return creds, nil
		}
	}
	creds, err := google.FindDefaultCredentials(ctx, scope)
	if err != nil {
		return nil, fmt.Errorf("application default credentials (gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS): %w", err)
	}
	return creds, nil
}

// apiError is err in one line: the API's status and message, without the
// request's details.
func apiError(err error) error {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		msg := ge.Message
		if msg == "" {
			msg = http.StatusText(ge.Code)
		}
		return fmt.Errorf("%d %s", ge.Code, msg)
	}
	return err
}
