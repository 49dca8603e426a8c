package grant

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/verify"
)

// deviceCode is the device authorization grant (RFC 8628): the user
// approves on any device; this polls at the interval the server asks for.
func (c *Client) deviceCode(ctx context.Context) (Result, error) {
	if c.Provider.Endpoint.DeviceAuthURL == "" {
		return Result{}, errors.New("the provider has no device_authorization_endpoint; use another --grant-type")
	}
	cfg := c.config("")
	ctx, cancel := context.WithTimeout(c.ctx(ctx), c.Opts.AuthTimeout)
	defer cancel()
	var opts []oauth2.AuthCodeOption
	for k, v := range c.Opts.ExtraParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	// x/oauth2 sends only the client_id to the device endpoint; a
	// confidential client authenticates there as at the token endpoint.
	authCtx := ctx
	if c.Opts.ClientSecret != "" {
		if cfg.Endpoint.AuthStyle == oauth2.AuthStyleInParams {
			opts = append(opts, oauth2.SetAuthURLParam("client_secret", c.Opts.ClientSecret))
		} else {
			authCtx = context.WithValue(ctx, oauth2.HTTPClient, basicAuthClient(c.Env.HTTP, c.Opts.ClientID, c.Opts.ClientSecret))
		}
	}
	da, err := cfg.DeviceAuth(authCtx, opts...)
	if err != nil {
		return Result{}, fmt.Errorf("could not start the device login: %w", Explain(err))
	}
	fmt.Fprintf(c.Env.Stderr, "%s: open %s and enter the code %s\n", contract.OIDCCommand, da.VerificationURI, da.UserCode)
	if !c.Opts.SkipOpenBrowser {
		open := da.VerificationURIComplete
		if open == "" {
			open = da.VerificationURI
		}
		if err := c.Env.Open(ctx, open); err != nil {
			fmt.Fprintf(c.Env.Stderr, "%s: could not open a browser (%v); open the URL above\n", contract.OIDCCommand, err)
		}
	}
	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return Result{}, fmt.Errorf("no device login within %s (--%s)", c.Opts.AuthTimeout, contract.OIDCAuthenticationTimeoutSec)
		}
		return Result{}, fmt.Errorf("device login failed: %w", Explain(err))
	}
	return Result{Token: tok, Want: verify.Expected{AccessToken: tok.AccessToken}}, nil
}

// basicAuthClient is client sending client_secret_basic credentials
// (RFC 6749 §2.3.1: both parts form-encoded) with every request.
func basicAuthClient(client *http.Client, id, secret string) *http.Client {
	c := *client
	c.Transport = basicAuth{next: client.Transport, id: url.QueryEscape(id), secret: url.QueryEscape(secret)}
	return &c
}

type basicAuth struct {
	next       http.RoundTripper
	id, secret string
}

func (b basicAuth) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.SetBasicAuth(b.id, b.secret)
	next := b.next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r)
}
