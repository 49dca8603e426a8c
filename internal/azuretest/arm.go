package azuretest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ARM is a local TLS stand-in for the part of Azure Resource Manager that
// kcc-connect's aks provider calls (there is no Azure emulator): the
// subscriptions list, managed clusters listed per subscription and per
// resource group (in pages of PageSize, linked by nextLink), one managed
// cluster, and its listClusterUserCredential and listClusterAdminCredential
// actions, which return real kubeconfigs in the shapes AKS serves. Every
// request must carry a bearer token that the Entra stand-in issued for
// Audience (Entra.Verify), so a token for another audience is refused with
// 401, as ARM does.
type ARM struct {
	// URL is the base URL, for an environment file's
	// resourceManagerEndpoint.
	URL string
	// Audience is the token audience ARM accepts (the environment file's
	// tokenAudience).
	Audience string
	// PageSize is how many clusters a list page holds (100, AKS's).
	PageSize int

	entra   *Entra
	srv     *httptest.Server
	latency atomic.Int64 // nanoseconds added to every request

	mu       sync.Mutex
	subs     []Subscription
	clusters []*Cluster
	requests []string // "METHOD path", in order
	tokens   []string // bearer tokens received
}

// Subscription is one subscription the identity sees. Denied answers
// 403 AuthorizationFailed to every call under it (listed all the same, as
// ARM lists a subscription where the identity has no role on its clusters).
type Subscription struct {
	ID, Name string
	Denied   bool
}

// Cluster is one managed cluster. Its credential's server is
// https://FQDN:443 (PrivateFQDN's for the private server), unless Server
// or PrivateServer say otherwise (a test's own API server).
type Cluster struct {
	Subscription, ResourceGroup, Name, Location string
	Version                                     string
	// AAD is managed Entra ID; LocalAccounts is !disableLocalAccounts.
	AAD, LocalAccounts bool
	FQDN, PrivateFQDN  string
	// Server and PrivateServer override the credential's server URL.
	Server, PrivateServer string
	// Legacy makes the user credential of an AAD cluster the azure
	// auth-provider shape (clusters before Kubernetes 1.24, or format=azure);
	// otherwise it is the exec (kubelogin) shape.
	Legacy bool
	// CA is the PEM the credential carries as certificate-authority-data;
	// ClientCert and ClientKey the local account's (PEM).
	CA, ClientCert, ClientKey []byte
	// Token is the local account's static token, which AKS puts in the
	// credential too.
	Token string
	// Tenant is the Entra ID tenant of an AAD cluster.
	Tenant string
	// Malformed makes the credential's kubeconfig something that is not one.
	Malformed bool
	// Vanishing clusters are listed, but are gone (404) for a GET or a
	// credential: deleted between discovery and use.
	Vanishing bool
}

// ID is the cluster's ARM resource ID, as AKS writes it.
func (c *Cluster) ID() string {
	return "/subscriptions/" + c.Subscription + "/resourcegroups/" + c.ResourceGroup + "/providers/Microsoft.ContainerService/managedClusters/" + c.Name
}

// Well-known ids of AKS's Entra ID integration, as AKS writes them into its
// credentials.
const (
	AKSServerID = "6dae42f8-4368-4678-94ff-3960e28e3630"
	AKSClientID = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"
)

// StartARM starts the stand-in, which checks tokens with entra for its
// own URL as the audience (as Entra.EnvironmentFile's tokenAudience).
func StartARM(t testing.TB, entra *Entra) *ARM {
	t.Helper()
	a := &ARM{PageSize: 100, entra: entra}
	a.srv = httptest.NewUnstartedServer(http.HandlerFunc(a.serve))
	a.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	a.srv.StartTLS()
	t.Cleanup(a.srv.Close)
	a.URL = a.srv.URL + "/"
	a.Audience = a.URL
	return a
}

// Certificate is the server's certificate (DER), for the test's trust.
func (a *ARM) Certificate() []byte { return a.srv.Certificate().Raw }

// SetLatency adds d to every request from now on.
func (a *ARM) SetLatency(d time.Duration) { a.latency.Store(int64(d)) }

// AddSubscription adds a subscription.
func (a *ARM) AddSubscription(s Subscription) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.subs = append(a.subs, s)
}

// AddCluster adds a cluster (its subscription must have been added).
func (a *ARM) AddCluster(c *Cluster) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.clusters = append(a.clusters, c)
}

// RemoveCluster deletes a cluster, as `az aks delete` would.
func (a *ARM) RemoveCluster(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, c := range a.clusters {
		if strings.EqualFold(c.ID(), id) {
			a.clusters = append(a.clusters[:i], a.clusters[i+1:]...)
			return
		}
	}
}

// Requests are the requests served so far ("METHOD path").
func (a *ARM) Requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.requests...)
}

// Tokens are the bearer tokens received so far.
func (a *ARM) Tokens() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.tokens...)
}

func (a *ARM) serve(w http.ResponseWriter, r *http.Request) {
	if d := time.Duration(a.latency.Load()); d > 0 {
		time.Sleep(d)
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	a.mu.Lock()
	a.requests = append(a.requests, r.Method+" "+r.URL.Path)
	a.tokens = append(a.tokens, tok)
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		armError(w, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
		return
	}
	if _, err := a.entra.Verify(tok, a.Audience); err != nil {
		armError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "The access token is invalid: "+err.Error())
		return
	}
	if r.URL.Query().Get("api-version") == "" {
		armError(w, http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	for i := range parts {
		parts[i], _ = url.PathUnescape(parts[i])
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && len(parts) == 1 && parts[0] == "subscriptions":
		a.listSubscriptions(w)
	case len(parts) >= 2 && parts[0] == "subscriptions":
		sub := a.subscription(parts[1])
		if sub == nil {
			armError(w, http.StatusNotFound, "SubscriptionNotFound", fmt.Sprintf("The subscription '%s' could not be found.", parts[1]))
			return
		}
		if sub.Denied {
			armError(w, http.StatusForbidden, "AuthorizationFailed", fmt.Sprintf("The client does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/%s' or the scope is invalid.", sub.ID))
			return
		}
		a.serveSubscription(w, r, sub, parts[2:])
	default:
		armError(w, http.StatusNotFound, "NotFound", "no route "+r.Method+" "+r.URL.Path)
	}
}

const clustersProvider = "providers/Microsoft.ContainerService/managedClusters"

// serveSubscription answers the calls under /subscriptions/ID: rest is
// what follows.
func (a *ARM) serveSubscription(w http.ResponseWriter, r *http.Request, sub *Subscription, rest []string) {
	path := strings.Join(rest, "/")
	switch {
	case r.Method == http.MethodGet && strings.EqualFold(path, clustersProvider):
		a.listClusters(w, r, sub.ID, "")
	case len(rest) == 5 && strings.EqualFold(rest[0], "resourceGroups") && r.Method == http.MethodGet && strings.EqualFold(strings.Join(rest[2:], "/"), clustersProvider):
		a.listClusters(w, r, sub.ID, rest[1])
	case len(rest) >= 6 && strings.EqualFold(rest[0], "resourceGroups") && strings.EqualFold(strings.Join(rest[2:5], "/"), clustersProvider):
		c := a.cluster(sub.ID, rest[1], rest[5])
		if c == nil || c.Vanishing {
			armError(w, http.StatusNotFound, "ResourceNotFound", fmt.Sprintf("The Resource 'Microsoft.ContainerService/managedClusters/%s' under resource group '%s' was not found.", rest[5], rest[1]))
			return
		}
		switch {
		case len(rest) == 6 && r.Method == http.MethodGet:
			json.NewEncoder(w).Encode(clusterJSON(c))
		case len(rest) == 7 && r.Method == http.MethodPost && rest[6] == "listClusterUserCredential":
			a.credential(w, r, c, false)
		case len(rest) == 7 && r.Method == http.MethodPost && rest[6] == "listClusterAdminCredential":
			a.credential(w, r, c, true)
		default:
			armError(w, http.StatusNotFound, "NotFound", "no route "+r.Method+" "+r.URL.Path)
		}
	default:
		armError(w, http.StatusNotFound, "NotFound", "no route "+r.Method+" "+r.URL.Path)
	}
}

func (a *ARM) subscription(id string) *Subscription {
	for i := range a.subs {
		if strings.EqualFold(a.subs[i].ID, id) {
			return &a.subs[i]
		}
	}
	return nil
}

func (a *ARM) cluster(sub, rg, name string) *Cluster {
	for _, c := range a.clusters {
		if strings.EqualFold(c.Subscription, sub) && strings.EqualFold(c.ResourceGroup, rg) && strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

func (a *ARM) listSubscriptions(w http.ResponseWriter) {
	var value []any
	for _, s := range a.subs {
		value = append(value, map[string]any{
			"id": "/subscriptions/" + s.ID, "subscriptionId": s.ID, "displayName": s.Name,
			"state": "Enabled", "tenantId": a.entra.Tenant, "authorizationSource": "RoleBased",
		})
	}
	json.NewEncoder(w).Encode(map[string]any{"value": value})
}

// listClusters answers one page of a subscription's (or resource
// group's) clusters; $skipToken is the index of the page's first cluster.
func (a *ARM) listClusters(w http.ResponseWriter, r *http.Request, sub, rg string) {
	var all []*Cluster
	for _, c := range a.clusters {
		if strings.EqualFold(c.Subscription, sub) && (rg == "" || strings.EqualFold(c.ResourceGroup, rg)) {
			all = append(all, c)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID() < all[j].ID() })
	start, _ := strconv.Atoi(r.URL.Query().Get("$skipToken"))
	end := min(start+a.PageSize, len(all))
	start = min(start, end)
	value := []any{}
	for _, c := range all[start:end] {
		value = append(value, clusterJSON(c))
	}
	body := map[string]any{"value": value}
	if end < len(all) {
		q := r.URL.Query()
		q.Set("$skipToken", strconv.Itoa(end))
		body["nextLink"] = strings.TrimSuffix(a.URL, "/") + r.URL.Path + "?" + q.Encode()
	}
	json.NewEncoder(w).Encode(body)
}

// clusterJSON is the managedCluster resource as ARM returns it.
func clusterJSON(c *Cluster) map[string]any {
	props := map[string]any{
		"provisioningState":        "Succeeded",
		"powerState":               map[string]any{"code": "Running"},
		"kubernetesVersion":        c.Version,
		"currentKubernetesVersion": c.Version,
		"dnsPrefix":                c.Name + "-dns",
		"disableLocalAccounts":     !c.LocalAccounts,
		"enableRBAC":               true,
	}
	if c.FQDN != "" {
		props["fqdn"] = c.FQDN
		props["azurePortalFQDN"] = "portal-" + c.FQDN
	}
	if c.PrivateFQDN != "" {
		props["privateFQDN"] = c.PrivateFQDN
		props["apiServerAccessProfile"] = map[string]any{"enablePrivateCluster": true, "enablePrivateClusterPublicFQDN": c.FQDN != ""}
	}
	if c.AAD {
		props["aadProfile"] = map[string]any{"managed": true, "enableAzureRBAC": true, "tenantID": c.Tenant}
	}
	return map[string]any{
		"id": c.ID(), "name": c.Name, "type": "Microsoft.ContainerService/ManagedClusters",
		"location": c.Location, "properties": props,
	}
}

// credential answers listClusterUserCredential or
// listClusterAdminCredential: the kubeconfig AKS makes, base64 in
// kubeconfigs[0].value. server-fqdn=public|private picks the server.
func (a *ARM) credential(w http.ResponseWriter, r *http.Request, c *Cluster, admin bool) {
	if admin && !c.LocalAccounts {
		armError(w, http.StatusBadRequest, "BadRequest", "Getting static credential is not allowed because this cluster is set to disable local accounts.")
		return
	}
	kc, err := c.Credential(r.URL.Query().Get("server-fqdn"), r.URL.Query().Get("format"), admin)
	if err != nil {
		armError(w, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	name := "clusterUser"
	if admin {
		name = "clusterAdmin"
	}
	json.NewEncoder(w).Encode(map[string]any{"kubeconfigs": []any{
		map[string]any{"name": name, "value": base64.StdEncoding.EncodeToString(kc)},
	}})
}

// Credential is the kubeconfig the credential action returns for
// server-fqdn fqdnType and format ("" for AKS's defaults): tests compare
// what was written with it.
func (c *Cluster) Credential(fqdnType, format string, admin bool) ([]byte, error) {
	server, err := c.server(fqdnType)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Malformed:
		return []byte("apiVersion: v1\nclusters: [\n  this is: not {a kubeconfig\n"), nil
	case c.AAD && !admin:
		return []byte(c.aadKubeconfig(server, format)), nil
	case admin:
		return []byte(c.certKubeconfig(server, "clusterAdmin")), nil
	}
	return []byte(c.certKubeconfig(server, "clusterUser")), nil
}

// server is the credential's server for server-fqdn (public, private, or
// "" for AKS's choice: the private FQDN of a private cluster).
func (c *Cluster) server(fqdnType string) (string, error) {
	public, private := c.Server, c.PrivateServer
	if public == "" && c.FQDN != "" {
		public = "https://" + c.FQDN + ":443"
	}
	if private == "" && c.PrivateFQDN != "" {
		private = "https://" + c.PrivateFQDN + ":443"
	}
	switch strings.ToLower(fqdnType) {
	case "":
		if private != "" {
			return private, nil
		}
		return public, nil
	case "public":
		if public == "" {
			return "", fmt.Errorf("the cluster %s has no public FQDN", c.Name)
		}
		return public, nil
	case "private":
		if private == "" {
			return "", fmt.Errorf("the cluster %s is not a private cluster", c.Name)
		}
		return private, nil
	}
	return "", fmt.Errorf("invalid server-fqdn %q", fqdnType)
}

func (c *Cluster) header(server, user string) string {
	return "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: " + base64.StdEncoding.EncodeToString(c.CA) +
		"\n    server: " + server + "\n  name: " + c.Name +
		"\ncontexts:\n- context:\n    cluster: " + c.Name + "\n    user: " + user + "\n  name: " + c.Name +
		"\ncurrent-context: " + c.Name + "\nkind: Config\npreferences: {}\nusers:\n"
}

// aadKubeconfig is an Entra ID cluster's user credential: the azure
// auth-provider (format=azure, or a legacy cluster) or kubelogin's exec.
func (c *Cluster) aadKubeconfig(server, format string) string {
	user := "clusterUser_" + c.ResourceGroup + "_" + c.Name
	out := c.header(server, user) + "- name: " + user + "\n  user:\n"
	if format == "azure" || (format == "" && c.Legacy) {
		return out + "    auth-provider:\n      config:\n        apiserver-id: " + AKSServerID +
			"\n        client-id: " + AKSClientID + "\n        config-mode: '1'\n        environment: AzurePublicCloud\n        tenant-id: " + c.Tenant +
			"\n      name: azure\n"
	}
	return out + "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      args:\n      - get-token\n" +
		"      - --environment\n      - AzurePublicCloud\n      - --server-id\n      - " + AKSServerID +
		"\n      - --client-id\n      - " + AKSClientID + "\n      - --tenant-id\n      - " + c.Tenant +
		"\n      - --login\n      - devicecode\n      command: kubelogin\n      env: null\n" +
		"      installHint: |2\n\n        kubelogin is not installed which is required to connect to AAD enabled cluster.\n\n        To learn more, please go to https://aka.ms/aks/kubelogin\n" +
		"      provideClusterInfo: false\n"
}

// certKubeconfig is a local account's credential: its client certificate,
// key and static token.
func (c *Cluster) certKubeconfig(server, kind string) string {
	user := kind + "_" + c.ResourceGroup + "_" + c.Name
	return c.header(server, user) + "- name: " + user + "\n  user:\n    client-certificate-data: " + base64.StdEncoding.EncodeToString(c.ClientCert) +
		"\n    client-key-data: " + base64.StdEncoding.EncodeToString(c.ClientKey) +
		"\n    token: " + c.Token + "\n"
}

// armError writes ARM's error body.
func armError(w http.ResponseWriter, status int, code, msg string) {
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": msg}})
}
