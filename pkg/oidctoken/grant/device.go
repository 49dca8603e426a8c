package grant

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
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
	da, err := cfg.DeviceAuth(ctx, opts...)
	if err != nil {
		return Result{}, fmt.Errorf("could not start the device login: %w", Explain(err))
	}
	fmt.Fprintf(c.Env.Stderr, "%s: open %s and enter the code %s\n", flags.Command, da.VerificationURI, da.UserCode)
	if !c.Opts.SkipOpenBrowser {
		open := da.VerificationURIComplete
		if open == "" {
			open = da.VerificationURI
		}
		if err := c.Env.Open(ctx, open); err != nil {
			fmt.Fprintf(c.Env.Stderr, "%s: could not open a browser (%v); open the URL above\n", flags.Command, err)
		}
	}
	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return Result{}, fmt.Errorf("no device login within %s (--%s)", c.Opts.AuthTimeout, flags.AuthenticationTimeoutSec)
		}
		return Result{}, fmt.Errorf("device login failed: %w", Explain(err))
	}
	return Result{Token: tok, Want: verify.Expected{AccessToken: tok.AccessToken}}, nil
}
