// Package grant obtains tokens from an OpenID provider with the OAuth 2.0
// grants kubelogin offers: authorization code with a loopback redirect,
// authorization code pasted by the user, device code, password (ROPC),
// client credentials, and the refresh of a stored refresh token.
package grant

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/verify"
)

// Env is what a grant may use of the world; tests replace any of it.
type Env struct {
	HTTP   *http.Client
	Stdin  io.Reader
	Stderr io.Writer
	// Open shows url to the user in a browser; see OpenBrowser.
	Open func(ctx context.Context, url string) error
	// Prompt reads a secret without echo, nil when there is no terminal.
	Prompt func(label string) (string, error)
}

// Result is a token response and what it must be verified against.
type Result struct {
	Token *oauth2.Token
	Want  verify.Expected
}

// IDToken is the id_token of the response, "" when it has none.
func (r Result) IDToken() string {
	s, _ := r.Token.Extra("id_token").(string)
	return s
}

// Client binds the flags to a discovered provider.
type Client struct {
	Opts     flags.Options
	Provider *verify.Provider
	Env      Env
}

func (c *Client) config(redirect string) *oauth2.Config {
	ep := c.Provider.Endpoint
	if c.Opts.ClientSecret == "" {
		// A public client names itself in the body (RFC 6749 §2.3.1 is
		// for clients with a secret).
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{
		ClientID:     c.Opts.ClientID,
		ClientSecret: c.Opts.ClientSecret,
		Endpoint:     ep,
		RedirectURL:  redirect,
		Scopes:       append([]string{"openid"}, c.Opts.ExtraScopes...),
	}
}

func (c *Client) ctx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.Env.HTTP)
}

// Login runs the grant of Opts.GrantType (auto already resolved by flags).
func (c *Client) Login(ctx context.Context) (Result, error) {
	switch c.Opts.GrantType {
	case contract.OIDCGrantAuthCode:
		return c.authCode(ctx)
	case contract.OIDCGrantAuthCodeKeyboard:
		return c.authCodeKeyboard(ctx)
	case contract.OIDCGrantDeviceCode:
		return c.deviceCode(ctx)
	case contract.OIDCGrantPassword:
		return c.password(ctx)
	case contract.OIDCGrantClientCredentials:
		return c.clientCredentials(ctx)
	}
	return Result{}, fmt.Errorf("unknown grant type %q", c.Opts.GrantType)
}

// Refresh exchanges refreshToken for new tokens with one token request.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (Result, error) {
	old := &oauth2.Token{RefreshToken: refreshToken, Expiry: time.Unix(1, 0)}
	tok, err := c.config("").TokenSource(c.ctx(ctx), old).Token()
	if err != nil {
		return Result{}, fmt.Errorf("refresh: %w", Explain(err))
	}
	return Result{Token: tok, Want: verify.Expected{AccessToken: tok.AccessToken}}, nil
}

// ErrRefused marks an error answer of the provider (an OAuth error code,
// such as invalid_grant for a revoked refresh token), as opposed to a
// provider that could not be reached.
var ErrRefused = errors.New("refused by the provider")

// refusal is a provider's error answer; it is ErrRefused.
type refusal struct{ msg string }

func (e refusal) Error() string        { return e.msg }
func (e refusal) Is(target error) bool { return target == ErrRefused }

// Explain shortens an oauth2 error to the provider's error code and
// description: the raw error quotes the whole response body, which can be
// long, and never says more.
func Explain(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode != "" {
			msg := "the provider answered " + re.ErrorCode
			if re.ErrorDescription != "" {
				msg += ": " + re.ErrorDescription
			}
			return refusal{msg}
		}
		if re.Response != nil {
			return fmt.Errorf("the provider answered %s", re.Response.Status)
		}
	}
	return err
}

// random is n random bytes, base64url without padding.
func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (c *Client) authParams(nonce, verifier string) []oauth2.AuthCodeOption {
	opts := []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("nonce", nonce)}
	if verifier != "" {
		opts = append(opts, oauth2.S256ChallengeOption(verifier))
	}
	for k, v := range c.Opts.ExtraParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	return opts
}

// pkceVerifier is a PKCE verifier when the user asked for PKCE or the
// provider advertises S256, else "".
func (c *Client) pkceVerifier() string {
	if c.Opts.UsePKCE || c.Provider.S256 {
		return oauth2.GenerateVerifier()
	}
	return ""
}

func exchangeOpts(verifier string) []oauth2.AuthCodeOption {
	if verifier == "" {
		return nil
	}
	return []oauth2.AuthCodeOption{oauth2.VerifierOption(verifier)}
}
