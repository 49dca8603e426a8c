// Package verify discovers an OpenID provider and checks the id_tokens it
// issues, with github.com/coreos/go-oidc: signature against the provider's
// JWKS, iss, aud, exp, and the nonce and at_hash of the request that got it.
// kcc-oidc stores nothing this package has not accepted.
package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Provider is a discovered OpenID provider.
type Provider struct {
	provider *oidc.Provider
	client   *http.Client
	clientID string
	now      func() time.Time
	// Endpoint is the authorization, device and token endpoints.
	Endpoint oauth2.Endpoint
	// S256 says whether the provider advertises PKCE S256.
	S256 bool
}

// Discover reads issuer's discovery document with client. go-oidc refuses a
// document whose issuer is not issuer.
func Discover(ctx context.Context, client *http.Client, issuer, clientID string, now func() time.Time) (*Provider, error) {
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, client), issuer)
	if err != nil {
		var mismatch *oidc.IssuerMismatchError
		if errors.As(err, &mismatch) {
			return nil, fmt.Errorf("the discovery document of %s names another issuer (%s); check --oidc-issuer-url", issuer, mismatch.Discovered)
		}
		return nil, fmt.Errorf("could not discover the provider %s: %w", issuer, err)
	}
	var claims struct {
		Methods     []string `json:"code_challenge_methods_supported"`
		AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
		JWKS        string   `json:"jwks_uri"`
	}
	_ = p.Claims(&claims)
	ep := p.Endpoint()
	for _, e := range []struct{ name, url string }{
		{"authorization_endpoint", ep.AuthURL}, {"token_endpoint", ep.TokenURL},
		{"device_authorization_endpoint", ep.DeviceAuthURL}, {"jwks_uri", claims.JWKS},
	} {
		if e.url != "" && !secureURL(e.url) {
			return nil, fmt.Errorf("the discovery document of %s gives an insecure %s (%s): https is required but for a loopback host", issuer, e.name, e.url)
		}
	}
	// client_secret_basic is the default (RFC 8414); x/oauth2's probing
	// of both styles misfires on the device grant's authorization_pending.
	ep.AuthStyle = oauth2.AuthStyleInHeader
	if len(claims.AuthMethods) > 0 && !slices.Contains(claims.AuthMethods, "client_secret_basic") && slices.Contains(claims.AuthMethods, "client_secret_post") {
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	return &Provider{provider: p, client: client, clientID: clientID, now: now, Endpoint: ep, S256: slices.Contains(claims.Methods, "S256")}, nil
}

// Expected is what the request that obtained a token response binds it to.
type Expected struct {
	// Nonce is the nonce sent with the authorization request; "" when the
	// grant has none (device code, password, refresh, client credentials),
	// then a nonce in the token is not checked.
	Nonce string
	// AccessToken is the access_token of the same response, checked against
	// the id_token's at_hash when it has one.
	AccessToken string
}

// IDToken checks raw and returns its expiry.
func (p *Provider) IDToken(ctx context.Context, raw string, want Expected) (time.Time, error) {
	v := p.provider.Verifier(&oidc.Config{ClientID: p.clientID, Now: p.now})
	tok, err := v.Verify(oidc.ClientContext(ctx, p.client), raw)
	if err != nil {
		return time.Time{}, fmt.Errorf("the provider's id_token is not valid: %w", err)
	}
	if want.Nonce != "" && tok.Nonce != want.Nonce {
		return time.Time{}, errors.New("the provider's id_token is not valid: its nonce is not the one sent")
	}
	if tok.AccessTokenHash != "" && want.AccessToken != "" {
		if err := tok.VerifyAccessToken(want.AccessToken); err != nil {
			return time.Time{}, fmt.Errorf("the provider's id_token is not valid: %w", err)
		}
	}
	return tok.Expiry, nil
}

// secureURL: https, or http to a loopback host (as for the issuer, see
// flags.CheckIssuer): the tokens and the code travel to these URLs.
func secureURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		host := u.Hostname()
		ip := net.ParseIP(host)
		return host == "localhost" || ip != nil && ip.IsLoopback()
	}
	return false
}
