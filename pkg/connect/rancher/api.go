package rancher

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody bounds what is read of one API answer.
const maxBody = 8 << 20

// errUnauthorized is a 401 from the API: the token is bad, revoked or
// expired (or, at login, the password is wrong).
var errUnauthorized = errors.New("401 Unauthorized")

// apiCluster is a /v3/clusters item, the fields used here.
type apiCluster struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	State             string `json:"state"`
	Provider          string `json:"provider"`
	KubernetesVersion string `json:"kubernetesVersion"`
	Version           *struct {
		GitVersion string `json:"gitVersion"`
	} `json:"version"`
	Links   map[string]string `json:"links"`
	Actions map[string]string `json:"actions"`
}

// collection is a v3 collection page.
type collection struct {
	Data       []apiCluster `json:"data"`
	Pagination *struct {
		Next string `json:"next"`
	} `json:"pagination"`
}

// apiToken is a v3 token: a login's answer, or /v3/tokens/NAME.
type apiToken struct {
	Name      string `json:"name"`
	Token     string `json:"token"`
	ExpiresAt string `json:"expiresAt"`
	Expired   bool   `json:"expired"`
}

// expires is the token's expiresAt (zero: it does not expire).
func (t apiToken) expires() time.Time {
	e, err := time.Parse(time.RFC3339, t.ExpiresAt)
	if err != nil {
		return time.Time{}
	}
	return e
}

// apiError is the v3 error body.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// client calls one Rancher server's API.
type client struct {
	http *http.Client
	base *url.URL // https://HOST/v3
	ua   string
}

// newClient checks the endpoint: https://HOST/v3 (a trailing slash is
// dropped).
func newClient(hc *http.Client, endpoint, ua string) (*client, error) {
	u, err := url.Parse(strings.TrimSuffix(endpoint, "/"))
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || !strings.HasSuffix(u.Path, "/v3") {
		return nil, fmt.Errorf("--api-endpoint %q: want https://HOST/v3, Rancher's v3 API", endpoint)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *hc
	// Never follow a redirect with a token: the Authorization header
	// could go to another host.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{http: &c, base: u, ua: ua}, nil
}

// url is the API's path p (which starts with /v3 or /v3-public), on the
// endpoint's host.
func (c *client) url(p string) string {
	u := *c.base
	p, u.RawQuery, _ = strings.Cut(p, "?")
	u.Path = strings.TrimSuffix(u.Path, "/v3") + p
	return u.String()
}

// sameServer checks that a URL the API handed out (a next page, an action)
// is on the endpoint's host, so the token is sent nowhere else.
func (c *client) sameServer(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != c.base.Scheme || u.Host != c.base.Host || u.User != nil {
		return fmt.Errorf("the API pointed to a URL on another server (%s); refused", shown(raw))
	}
	return nil
}

// shown is a URL without user info and query.
func shown(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "an invalid URL"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// do sends a request with the bearer token (none for login) and decodes a
// 2xx JSON answer into out.
func (c *client) do(ctx context.Context, method, rawURL, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.ua != "" {
		req.Header.Set("User-Agent", c.ua)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			// url.Error quotes the whole URL; the query of an action is
			// harmless, but keep messages short and alike.
			return fmt.Errorf("%s %s: %w", method, shown(rawURL), ue.Err)
		}
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return errUnauthorized
	}
	if resp.StatusCode/100 != 2 {
		var e apiError
		msg := http.StatusText(resp.StatusCode)
		if json.Unmarshal(data, &e) == nil && e.Message != "" {
			msg = oneLine(e.Message)
		}
		return fmt.Errorf("%s %s: %d %s", method, shown(rawURL), resp.StatusCode, msg)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not the JSON expected: %v", method, shown(rawURL), err)
	}
	return nil
}

// oneLine keeps a server's message on one short line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// login posts the credentials to the auth provider's login action and
// returns the token Rancher made.
func (c *client) login(ctx context.Context, authProvider, username, password string) (apiToken, error) {
	path, ok := loginPaths[authProvider]
	if !ok {
		return apiToken{}, fmt.Errorf("auth provider %q has no password login", authProvider)
	}
	var t apiToken
	err := c.do(ctx, http.MethodPost, c.url(path+"?action=login"), "", map[string]any{
		"username":     username,
		"password":     password,
		"description":  "kcc-connect",
		"responseType": "token",
	}, &t)
	if err != nil {
		return apiToken{}, err
	}
	if t.Token == "" {
		return apiToken{}, errors.New("the login answer has no token")
	}
	if t.Name == "" {
		t.Name, _, _ = strings.Cut(t.Token, ":")
	}
	return t, nil
}

// loginPaths are the login endpoints of the auth providers with a password
// (/v3-public/<kind>Providers/<name>).
var loginPaths = map[string]string{
	AuthLocal:           "/v3-public/localProviders/local",
	AuthActiveDirectory: "/v3-public/activeDirectoryProviders/activedirectory",
	AuthOpenLDAP:        "/v3-public/openLdapProviders/openldap",
}

// clusters lists /v3/clusters, every page (pagination.next).
func (c *client) clusters(ctx context.Context, token string) ([]apiCluster, error) {
	var out []apiCluster
	next := c.url("/v3/clusters")
	for pages := 0; next != ""; pages++ {
		if pages == 1000 {
			return nil, errors.New("/v3/clusters: more than 1000 pages")
		}
		var page collection
		if err := c.do(ctx, http.MethodGet, next, token, nil, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Data...)
		next = ""
		if page.Pagination != nil && page.Pagination.Next != "" {
			if err := c.sameServer(page.Pagination.Next); err != nil {
				return nil, err
			}
			next = page.Pagination.Next
		}
	}
	return out, nil
}

// cluster is /v3/clusters/ID.
func (c *client) cluster(ctx context.Context, token, id string) (apiCluster, error) {
	var out apiCluster
	err := c.do(ctx, http.MethodGet, c.url("/v3/clusters/"+url.PathEscape(id)), token, nil, &out)
	return out, err
}

// generateKubeconfig runs the cluster's generateKubeconfig action and
// returns the kubeconfig.
func (c *client) generateKubeconfig(ctx context.Context, token string, cl apiCluster) ([]byte, error) {
	action := cl.Actions["generateKubeconfig"]
	if action == "" {
		return nil, fmt.Errorf("cluster %s (%s) offers no generateKubeconfig action (state %s)", cl.Name, cl.ID, cl.State)
	}
	if err := c.sameServer(action); err != nil {
		return nil, err
	}
	var out struct {
		Config string `json:"config"`
	}
	if err := c.do(ctx, http.MethodPost, action, token, nil, &out); err != nil {
		return nil, err
	}
	if out.Config == "" {
		return nil, errors.New("generateKubeconfig gave no config")
	}
	return []byte(out.Config), nil
}

// tokenInfo is /v3/tokens/NAME (its expiresAt).
func (c *client) tokenInfo(ctx context.Context, token, name string) (apiToken, error) {
	var out apiToken
	err := c.do(ctx, http.MethodGet, c.url("/v3/tokens/"+url.PathEscape(name)), token, nil, &out)
	return out, err
}

// revoke deletes the token NAME (DELETE /v3/tokens/NAME).
func (c *client) revoke(ctx context.Context, token, name string) error {
	return c.do(ctx, http.MethodDelete, c.url("/v3/tokens/"+url.PathEscape(name)), token, nil, nil)
}
