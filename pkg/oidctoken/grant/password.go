package grant

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/verify"
)

// password is the resource owner password credentials grant; the password
// is prompted without echo when the flag is absent and there is a terminal.
func (c *Client) password(ctx context.Context) (Result, error) {
	pw := c.Opts.Password
	if pw == "" {
		if c.Env.Prompt == nil {
			return Result{}, fmt.Errorf("--%s is required without a terminal to prompt on", contract.OIDCPassword)
		}
		var err error
		if pw, err = c.Env.Prompt("Password for " + c.Opts.Username + ": "); err != nil {
			return Result{}, fmt.Errorf("could not read the password: %w", err)
		}
	}
	tok, err := c.config("").PasswordCredentialsToken(c.ctx(ctx), c.Opts.Username, pw)
	if err != nil {
		return Result{}, fmt.Errorf("password login failed: %w", Explain(err))
	}
	return Result{Token: tok, Want: verify.Expected{AccessToken: tok.AccessToken}}, nil
}

// clientCredentials is the client's own login, with the extra parameters in
// the token request as kubelogin sends them.
func (c *Client) clientCredentials(ctx context.Context) (Result, error) {
	cfg := clientcredentials.Config{
		ClientID:       c.Opts.ClientID,
		ClientSecret:   c.Opts.ClientSecret,
		TokenURL:       c.Provider.Endpoint.TokenURL,
		Scopes:         append([]string{"openid"}, c.Opts.ExtraScopes...),
		EndpointParams: map[string][]string{},
	}
	for k, v := range c.Opts.ExtraParams {
		cfg.EndpointParams[k] = []string{v}
	}
	tok, err := cfg.Token(c.ctx(ctx))
	if err != nil {
		return Result{}, fmt.Errorf("client credentials login failed: %w", Explain(err))
	}
	if s, _ := tok.Extra("id_token").(string); s == "" {
		return Result{}, errors.New("the provider answered the client-credentials grant without an id_token, which Kubernetes needs")
	}
	return Result{Token: tok, Want: verify.Expected{AccessToken: tok.AccessToken}}, nil
}
