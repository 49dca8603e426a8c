package rancher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// Name is the provider's id in listings and history.
const Name = "rancher"

// Plugin is the one plugin its users run: kcc-connect token.
const Plugin = contract.ConnectCommand

// Auth providers (--auth-provider).
const (
	AuthLocal           = "local"
	AuthActiveDirectory = "activedirectory"
	AuthOpenLDAP        = "openldap"
	// AuthToken uses an API token (Options.Token) instead of a login.
	AuthToken = "token"
)

// AuthProviders are the --auth-provider values.
var AuthProviders = []string{AuthLocal, AuthActiveDirectory, AuthOpenLDAP, AuthToken}

// Store kinds: the login token of a server, the kubeconfig token of a
// cluster.
const (
	kindLogin      = "rancher/login-token"
	kindKubeconfig = "rancher/kubeconfig-token"
)

// Store is what the provider needs of kcc's store (connect/secrets.Store).
type Store interface {
	Load(kind, key string, v any) (bool, error)
	Save(kind, key string, v any, expires time.Time) error
	Delete(kind, key string) error
}

// Options say which server, how to log in, and how to write entries.
type Options struct {
	// APIEndpoint is https://HOST/v3.
	APIEndpoint string
	// AuthProvider is one of AuthProviders ("" is local).
	AuthProvider string
	// Token is an API token (name:secret) to use instead of a login.
	Token string
	// Credentials asks for the username and password when a login is
	// needed; nil (or an error) means none can be given.
	Credentials func() (username, password string, err error)
	Store       Store
	HTTPClient  *http.Client
	UserAgent   string
	// Plaintext keeps Rancher's token in the kubeconfig (--plaintext-token)
	// instead of kcc's store.
	Plaintext bool
	Now       func() time.Time
}

// Provider is the rancher provider.
type Provider struct {
	opts Options

	mu    sync.Mutex
	api   *client
	token string            // the login token in use
	plain map[string]string // --plaintext-token: cluster ID → token
	// pending are the kubeconfig tokens generated and not yet kept
	// (Commit) or revoked (Discard): cluster ID → token.
	pending map[string]tokenRecord
	stored  bool // token came from the store
}

var _ connect.Provider = (*Provider)(nil)

// New is the provider for opts; the endpoint is checked by the first call.
func New(opts Options) *Provider {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.AuthProvider == "" {
		opts.AuthProvider = AuthLocal
	}
	return &Provider{opts: opts, plain: map[string]string{}, pending: map[string]tokenRecord{}}
}

// Name is "rancher".
func (*Provider) Name() string { return Name }

// CheckEndpoint reports a malformed --api-endpoint.
func CheckEndpoint(endpoint string) error {
	_, err := newClient(nil, endpoint, "")
	return err
}

// Endpoint is the server's API as the IDs and the store name it.
func (p *Provider) Endpoint() string { return strings.TrimSuffix(p.opts.APIEndpoint, "/") }

func (p *Provider) client() (*client, error) {
	if p.api != nil {
		return p.api, nil
	}
	c, err := newClient(p.opts.HTTPClient, p.opts.APIEndpoint, p.opts.UserAgent)
	if err != nil {
		return nil, err
	}
	p.api = c
	return c, nil
}

// loginRecord is what the store keeps of a login.
type loginRecord struct {
	Name      string    `json:"name"`
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// session is the login token: the API token, else the stored one, else a new
// login (kept in the store until it expires).
func (p *Provider) session(ctx context.Context) (string, error) {
	if p.token != "" {
		return p.token, nil
	}
	if _, err := p.client(); err != nil {
		return "", err
	}
	if p.opts.Token != "" {
		p.token = p.opts.Token
		return p.token, nil
	}
	if p.opts.AuthProvider == AuthToken {
		return "", fmt.Errorf("--auth-provider token needs an API token (KCC_CONNECT_TOKEN)")
	}
	if p.opts.Store != nil {
		var r loginRecord
		ok, err := p.opts.Store.Load(kindLogin, p.Endpoint(), &r)
		if err != nil {
			return "", err
		}
		if ok && r.Token != "" {
			p.token, p.stored = r.Token, true
			return p.token, nil
		}
	}
	return p.login(ctx)
}

// login logs in with the credentials asked for and stores the token.
func (p *Provider) login(ctx context.Context) (string, error) {
	if p.opts.Credentials == nil {
		return "", fmt.Errorf("not logged in to %s: %w", p.Endpoint(), errors.New("no way to ask for a password"))
	}
	user, pass, err := p.opts.Credentials()
	if err != nil {
		return "", fmt.Errorf("not logged in to %s: %w", p.Endpoint(), err)
	}
	if user == "" || pass == "" {
		return "", fmt.Errorf("not logged in to %s: a username and a password are needed", p.Endpoint())
	}
	t, err := p.api.login(ctx, p.opts.AuthProvider, user, pass)
	if errors.Is(err, errUnauthorized) {
		return "", fmt.Errorf("login to %s as %s (%s) failed: wrong username or password", p.Endpoint(), user, p.opts.AuthProvider)
	}
	if err != nil {
		return "", fmt.Errorf("login to %s as %s (%s): %w", p.Endpoint(), user, p.opts.AuthProvider, err)
	}
	if p.opts.Store != nil {
		r := loginRecord{Name: t.Name, Token: t.Token, ExpiresAt: t.expires()}
		if err := p.opts.Store.Save(kindLogin, p.Endpoint(), r, r.ExpiresAt); err != nil {
			return "", err
		}
	}
	p.token, p.stored = t.Token, false
	return p.token, nil
}

// call runs f with the login token. A stored token the server refuses
// (revoked, expired early) is forgotten and a new login tried once.
func (p *Provider) call(ctx context.Context, f func(c *client, token string) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	tok, err := p.session(ctx)
	if err != nil {
		return err
	}
	err = f(p.api, tok)
	if !errors.Is(err, errUnauthorized) {
		return err
	}
	if p.stored && p.opts.Store != nil {
		if err := p.opts.Store.Delete(kindLogin, p.Endpoint()); err != nil {
			return err
		}
		p.token, p.stored = "", false
		if tok, err = p.login(ctx); err != nil {
			if inner := errors.Unwrap(err); inner != nil {
				err = inner // without "not logged in to ENDPOINT"
			}
			return fmt.Errorf("the stored login token for %s was refused (revoked or expired) and is forgotten; logging in again: %w", p.Endpoint(), err)
		}
		err = f(p.api, tok)
	}
	if errors.Is(err, errUnauthorized) {
		if p.opts.Token != "" {
			return fmt.Errorf("%s refused the API token (revoked, expired or mistyped)", p.Endpoint())
		}
		return fmt.Errorf("%s refused the new login token", p.Endpoint())
	}
	return err
}

// Discover lists the server's clusters (every page).
func (p *Provider) Discover(ctx context.Context, _ connect.Selection) ([]connect.Cluster, []connect.Warning, error) {
	var list []apiCluster
	err := p.call(ctx, func(c *client, tok string) (err error) {
		list, err = c.clusters(ctx, tok)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	out := make([]connect.Cluster, len(list))
	for i, c := range list {
		out[i] = p.cluster(c)
	}
	connect.Sort(out)
	return out, nil, nil
}

// ClusterID is the connect ID of Rancher's cluster id on the server:
// ENDPOINT/clusters/ID, its self link.
func (p *Provider) ClusterID(id string) string { return p.Endpoint() + "/clusters/" + id }

// aceSep separates a cluster's ID from the name of one of its authorized
// cluster endpoint contexts in the ID of that context's entry.
const aceSep = "#"

// split is the Rancher cluster id and the ACE context name ("" for the
// cluster's own entry) of a connect ID of this server.
func (p *Provider) split(id string) (string, string, error) {
	rest, ok := strings.CutPrefix(id, p.Endpoint()+"/clusters/")
	if !ok || rest == "" {
		return "", "", fmt.Errorf("cluster %q is not a cluster of %s", id, p.Endpoint())
	}
	cid, ace, _ := strings.Cut(rest, aceSep)
	return cid, ace, nil
}

// EndpointOf is the API endpoint of a connect ID (ENDPOINT/clusters/…).
func EndpointOf(id string) string {
	if i := strings.LastIndex(id, "/clusters/"); i > 0 {
		return id[:i]
	}
	return ""
}

// cluster is c as a connect.Cluster, its Endpoint the server's proxy for it.
func (p *Provider) cluster(c apiCluster) connect.Cluster {
	version := c.KubernetesVersion
	if version == "" && c.Version != nil {
		version = c.Version.GitVersion
	}
	return connect.Cluster{
		ID:       p.ClusterID(c.ID),
		Provider: Name,
		Name:     c.Name,
		Endpoint: strings.TrimSuffix(p.Endpoint(), "/v3") + "/k8s/clusters/" + c.ID,
		Version:  version,
		Status:   c.State,
		Kind:     c.Provider,
	}
}

// Describe reads the cluster again and generates its kubeconfig (storing
// its token): the entry of c's ID, the cluster's or an ACE context's.
func (p *Provider) Describe(ctx context.Context, c connect.Cluster) (connect.Cluster, error) {
	cid, ace, err := p.split(c.ID)
	if err != nil {
		return connect.Cluster{}, err
	}
	all, err := p.Kubeconfig(ctx, cid)
	if err != nil {
		return connect.Cluster{}, err
	}
	for _, x := range all {
		if x.ID == c.ID {
			return x, nil
		}
	}
	if ace != "" {
		return connect.Cluster{}, fmt.Errorf("cluster %s has no authorized cluster endpoint context %q any more", cid, ace)
	}
	return connect.Cluster{}, fmt.Errorf("cluster %s: the kubeconfig Rancher generated has no context of its own", cid)
}

// kubeconfigDoc is the kubeconfig Rancher generates. Decoding it with
// known fields only means a field this provider would not write again is
// an error rather than lost.
type kubeconfigDoc struct {
	APIVersion  string         `yaml:"apiVersion"`
	Kind        string         `yaml:"kind"`
	Preferences map[string]any `yaml:"preferences"`
	Clusters    []struct {
		Name    string `yaml:"name"`
		Cluster struct {
			Server string `yaml:"server"`
			CAData string `yaml:"certificate-authority-data"`
		} `yaml:"cluster"`
	} `yaml:"clusters"`
	Users []struct {
		Name string `yaml:"name"`
		User struct {
			Token string `yaml:"token"`
		} `yaml:"user"`
	} `yaml:"users"`
	Contexts []struct {
		Name    string `yaml:"name"`
		Context struct {
			Cluster string `yaml:"cluster"`
			User    string `yaml:"user"`
		} `yaml:"context"`
	} `yaml:"contexts"`
	CurrentContext string `yaml:"current-context"`
}

// tokenRecord is what the store keeps of a cluster's kubeconfig token.
type tokenRecord struct {
	Name      string    `json:"name"`
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Kubeconfig generates the kubeconfig of Rancher's cluster cid and returns
// its entries: the cluster's own context (Rancher's current-context) first,
// then each authorized cluster endpoint context, every one named as Rancher
// names it, with its server and CA as Rancher writes them. The token goes
// to kcc's store (or, with Plaintext, is kept for the entry); a token it
// replaces there is revoked.
func (p *Provider) Kubeconfig(ctx context.Context, cid string) ([]connect.Cluster, error) {
	var ac apiCluster
	var raw []byte
	var expires time.Time
	err := p.call(ctx, func(c *client, tok string) (err error) {
		if ac, err = c.cluster(ctx, tok, cid); err != nil {
			return err
		}
		raw, err = c.generateKubeconfig(ctx, tok, ac)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", cid, err)
	}
	var doc kubeconfigDoc
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("cluster %s: Rancher's kubeconfig has what kcc-connect would not write again (%s); nothing written", cid, firstLine(err))
	}
	clusters := map[string]int{}
	for i, c := range doc.Clusters {
		clusters[c.Name] = i
	}
	var token string
	for _, u := range doc.Users {
		if token != "" && u.User.Token != token {
			return nil, fmt.Errorf("cluster %s: Rancher's kubeconfig has two tokens; nothing written", cid)
		}
		token = u.User.Token
	}
	if token == "" {
		return nil, fmt.Errorf("cluster %s: Rancher's kubeconfig has no token", cid)
	}
	base := p.cluster(ac)
	var out []connect.Cluster
	for _, x := range doc.Contexts {
		i, ok := clusters[x.Context.Cluster]
		if !ok {
			return nil, fmt.Errorf("cluster %s: Rancher's context %q names no cluster of the file", cid, x.Name)
		}
		c := base
		c.Context = x.Name
		c.Endpoint = doc.Clusters[i].Cluster.Server
		c.CertificateAuthority = doc.Clusters[i].Cluster.CAData
		if x.Name != doc.CurrentContext {
			c.ID += aceSep + x.Name
			c.ACE = true
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return !out[i].ACE && out[j].ACE })
	if len(out) == 0 || out[0].ACE {
		return nil, fmt.Errorf("cluster %s: Rancher's kubeconfig has no current-context of the cluster", cid)
	}
	if p.opts.Plaintext {
		p.plain[base.ID] = token
		return out, nil
	}
	name, _, _ := strings.Cut(token, ":")
	// When the token expires is its own record's business; without it
	// the store keeps the token until Rancher refuses it.
	if t, err := p.api.tokenInfo(ctx, p.token, name); err == nil {
		expires = t.expires()
	}
	if old, ok := p.pending[base.ID]; ok {
		_ = p.api.revoke(ctx, p.token, old.Name)
	}
	p.pending[base.ID] = tokenRecord{Name: name, Token: token, ExpiresAt: expires}
	return out, nil
}

// Commit keeps the kubeconfig tokens generated since the last Commit in
// kcc's store (call it once the entries are written), revoking the ones
// they replace.
func (p *Provider) Commit(ctx context.Context) error {
	if p.opts.Store == nil && len(p.pending) > 0 {
		return errors.New("no store for the clusters' tokens")
	}
	for id, r := range p.pending {
		var old tokenRecord
		if ok, _ := p.opts.Store.Load(kindKubeconfig, id, &old); ok && old.Name != "" && old.Name != r.Name {
			// Best effort: a token already gone is fine.
			_ = p.api.revoke(ctx, p.token, old.Name)
		}
		if err := p.opts.Store.Save(kindKubeconfig, id, r, r.ExpiresAt); err != nil {
			return err
		}
		delete(p.pending, id)
	}
	return nil
}

// Discard revokes the kubeconfig tokens generated since the last Commit
// (nothing was written with them), best effort.
func (p *Provider) Discard(ctx context.Context) {
	for id, r := range p.pending {
		_ = p.api.revoke(ctx, p.token, r.Name)
		delete(p.pending, id)
	}
}

// unknownField finds yaml.v3's "line N: field NAME not found in type …".
var unknownField = regexp.MustCompile(`line (\d+): field (\S+) not found`)

// firstLine is a decoding error in one line: the fields it does not know
// (with their lines), else its first line.
func firstLine(err error) string {
	var fields []string
	for _, m := range unknownField.FindAllStringSubmatch(err.Error(), -1) {
		fields = append(fields, m[2]+" (line "+m[1]+")")
	}
	if len(fields) > 0 {
		return "the field " + strings.Join(fields, ", ")
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return strings.TrimPrefix(s, "yaml: ")
}

// Exec is kcc-connect token for the cluster (ACE contexts share their
// cluster's token).
func (p *Provider) Exec(c connect.Cluster, plugin string) (connect.Exec, error) {
	if plugin != "" && plugin != Plugin {
		return connect.Exec{}, fmt.Errorf("unknown exec plugin %q for Rancher clusters (want %s)", plugin, Plugin)
	}
	cid, _, err := p.split(c.ID)
	if err != nil {
		return connect.Exec{}, err
	}
	b := contract.Rancher{APIEndpoint: p.Endpoint(), ClusterID: cid}
	return connect.Exec{APIVersion: execcred.APIVersionV1beta1, Command: b.Command(), Args: b.Args()}, nil
}

// PlaintextToken is Rancher's token for c's entry, with Plaintext.
func (p *Provider) PlaintextToken(c connect.Cluster) (string, bool) {
	cid, _, err := p.split(c.ID)
	if err != nil {
		return "", false
	}
	t, ok := p.plain[p.ClusterID(cid)]
	return t, ok
}

// Token is the kubeconfig token of Rancher's cluster cid from the store,
// for `kcc-connect token`.
func (p *Provider) Token(cid string) (string, time.Time, error) {
	if _, err := p.client(); err != nil {
		return "", time.Time{}, err
	}
	var r tokenRecord
	ok, err := p.opts.Store.Load(kindKubeconfig, p.ClusterID(cid), &r)
	if err != nil {
		return "", time.Time{}, err
	}
	if !ok || r.Token == "" {
		return "", time.Time{}, fmt.Errorf("no Rancher token for cluster %s in kcc's store (expired, logged out, or never written): run kcc-connect use --provider rancher --api-endpoint %s %s", cid, p.Endpoint(), cid)
	}
	return r.Token, r.ExpiresAt, nil
}

// Logout revokes the server's login token and forgets it. It says whether
// there was one.
func (p *Provider) Logout(ctx context.Context) (bool, error) {
	if _, err := p.client(); err != nil {
		return false, err
	}
	var r loginRecord
	ok, err := p.opts.Store.Load(kindLogin, p.Endpoint(), &r)
	if err != nil || !ok {
		return false, err
	}
	if r.Name == "" {
		r.Name, _, _ = strings.Cut(r.Token, ":")
	}
	err = p.api.revoke(ctx, r.Token, r.Name)
	if err != nil && !errors.Is(err, errUnauthorized) {
		// Keep it: the server still has it, and a later logout can retry.
		return true, fmt.Errorf("revoking the login token of %s: %w (still stored; try again)", p.Endpoint(), err)
	}
	return true, p.opts.Store.Delete(kindLogin, p.Endpoint())
}
