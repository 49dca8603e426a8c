// Package gettoken is kcc-oidc get-token: serve the stored id_token while it
// is valid (no network), else refresh it with one token request, else log
// in with the configured grant; every token is verified before it is stored.
package gettoken

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/grant"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/tokenstore"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/verify"
)

// MinValidity: a stored id_token that expires sooner than this is refreshed
// rather than served. It equals kcc-cache's default refresh margin, so that
// kcc-cache never receives a token it would itself call stale.
const MinValidity = 30 * time.Second

// Env is the world of one run; tests replace any of it.
type Env struct {
	Now    func() time.Time
	Store  tokenstore.Backend
	Stdin  io.Reader
	Stderr io.Writer
	// Open shows a URL in a browser (grant.OpenBrowser).
	Open func(ctx context.Context, url string) error
	// Prompt reads a secret without echo; nil without a terminal.
	Prompt func(label string) (string, error)
	// CanAsk says whether the user can answer on stdin (kubectl's
	// interactive flag, or a terminal when kubectl did not say).
	CanAsk bool
	// CanShow says whether a human sees a URL: a browser can be opened or
	// stderr is a terminal.
	CanShow bool
	// KubeconfigUser is KUBE_CREDENTIAL_CACHE_USER, part of the store key.
	KubeconfigUser string
	// Lock, when set, serialises the runs that refresh or log in for one
	// store key: kcc-cache's lock is per cluster, so two clusters of one
	// identity would otherwise log in twice, or spend one rotating refresh
	// token twice (the second refresh is refused).
	Lock func(key string) (unlock func(), err error)
	// Debugf, when set, receives what the run decides (key digests,
	// expiries, grants); never a token or secret.
	Debugf func(format string, args ...any)
}

func (env Env) debugf(format string, args ...any) {
	if env.Debugf != nil {
		env.Debugf(format, args...)
	}
}

// Token is the id_token to print and its expiry.
type Token struct {
	IDToken string
	Expiry  time.Time
}

// Run returns a valid id_token for o.
func Run(ctx context.Context, o flags.Options, env Env) (Token, error) {
	store := tokenstore.Store{Backend: env.Store, Now: env.Now}
	id := Identity(o)
	id.KubeconfigUser = env.KubeconfigUser
	stored, found, err := store.Load(id)
	if err != nil {
		return Token{}, err
	}
	if found && !o.ForceRefresh && stored.Expiry.Sub(env.Now()) >= MinValidity {
		env.debugf("key %.12s: stored id_token valid until %s, served without a request", id.Key(), stored.Expiry.Format(time.RFC3339))
		return Token{IDToken: stored.IDToken, Expiry: stored.Expiry}, nil
	}
	switch {
	case !found:
		env.debugf("key %.12s: nothing stored", id.Key())
	case o.ForceRefresh:
		env.debugf("key %.12s: --force-refresh", id.Key())
	default:
		env.debugf("key %.12s: stored id_token expires %s, within %s", id.Key(), stored.Expiry.Format(time.RFC3339), MinValidity)
	}
	if env.Lock != nil {
		unlock, err := env.Lock(id.Key())
		if err != nil {
			return Token{}, err
		}
		defer unlock()
		// Whoever held the lock may have just stored what we need.
		prev := stored
		if stored, found, err = store.Load(id); err != nil {
			return Token{}, err
		}
		fresh := found && stored.Expiry.Sub(env.Now()) >= MinValidity
		if fresh && (!o.ForceRefresh || stored.IDToken != prev.IDToken) {
			env.debugf("key %.12s: another run stored a valid id_token meanwhile", id.Key())
			return Token{IDToken: stored.IDToken, Expiry: stored.Expiry}, nil
		}
	}

	canRefresh := found && stored.RefreshToken != ""
	if why := cannotLogin(o, env); why != "" && !canRefresh {
		// Say so before any request: nothing the provider says can help.
		return Token{}, errors.New(why + "; run " + Command(o) + " in a terminal to log in")
	}

	httpClient, err := verify.HTTPClient(verify.TLS{CAFiles: o.CAFiles, CAData: o.CAData, SkipVerify: o.SkipTLSVerify})
	if err != nil {
		return Token{}, err
	}
	provider, err := verify.Discover(ctx, httpClient, o.IssuerURL, o.ClientID, env.Now)
	if err != nil {
		return Token{}, err
	}
	c := &grant.Client{Opts: o, Provider: provider, Env: grant.Env{
		HTTP: httpClient, Stdin: env.Stdin, Stderr: env.Stderr, Open: env.Open, Prompt: env.Prompt,
	}}

	var refreshErr error
	if canRefresh {
		env.debugf("key %.12s: refreshing", id.Key())
		res, err := c.Refresh(ctx, stored.RefreshToken)
		if err == nil {
			var tok Token
			if tok, err = keep(ctx, store, id, provider, res, stored.RefreshToken); err == nil {
				env.debugf("key %.12s: refreshed, valid until %s", id.Key(), tok.Expiry.Format(time.RFC3339))
				return tok, nil
			}
		}
		refreshErr = err
		env.debugf("key %.12s: refresh failed: %v", id.Key(), err)
	}
	if why := cannotLogin(o, env); why != "" {
		msg := why + "; run " + Command(o) + " in a terminal to log in"
		if refreshErr != nil {
			msg = "the stored refresh token was refused (" + refreshErr.Error() + "), and " + msg
		}
		return Token{}, errors.New(msg)
	}
	if refreshErr != nil {
		fmt.Fprintf(env.Stderr, "%s: could not refresh the stored tokens (%v); logging in again\n", flags.Command, refreshErr)
	}
	env.debugf("key %.12s: logging in with the %s grant", id.Key(), o.GrantType)
	res, err := c.Login(ctx)
	if err != nil {
		return Token{}, err
	}
	return keep(ctx, store, id, provider, res, "")
}

// keep verifies the id_token of res and stores it with the refresh token
// (the response's, or prevRefresh when a refresh response carries none).
func keep(ctx context.Context, store tokenstore.Store, id tokenstore.Identity, p *verify.Provider, res grant.Result, prevRefresh string) (Token, error) {
	raw := res.IDToken()
	if raw == "" {
		return Token{}, errors.New("the provider's token response has no id_token (is the openid scope allowed for this client?)")
	}
	exp, err := p.IDToken(ctx, raw, res.Want)
	if err != nil {
		return Token{}, err
	}
	rt := res.Token.RefreshToken
	if rt == "" {
		rt = prevRefresh
	}
	if err := store.Save(id, tokenstore.Tokens{IDToken: raw, RefreshToken: rt, Expiry: exp}); err != nil {
		return Token{}, err
	}
	return Token{IDToken: raw, Expiry: exp}, nil
}

// Identity is the store key's inputs for o.
func Identity(o flags.Options) tokenstore.Identity {
	return tokenstore.Identity{
		IssuerURL:   o.IssuerURL,
		ClientID:    o.ClientID,
		Scopes:      o.ExtraScopes,
		Username:    o.Username,
		ClientGrant: o.GrantType == flags.GrantClientCredentials,
		ExtraParams: o.ExtraParams,
	}
}

// cannotLogin says why the grant of o cannot run now, or "".
func cannotLogin(o flags.Options, env Env) string {
	switch o.GrantType {
	case flags.GrantAuthCodeKeyboard:
		if !env.CanAsk {
			return "a login is needed and " + flags.GrantAuthCodeKeyboard + " reads the code from a terminal, which this run has not got"
		}
	case flags.GrantPassword:
		if o.Password == "" && (!env.CanAsk || env.Prompt == nil) {
			return "a login is needed and the password must be typed in a terminal, which this run has not got"
		}
	case flags.GrantAuthCode, flags.GrantDeviceCode:
		if !env.CanShow {
			return "a login is needed and there is neither a browser to open nor a terminal to show its URL"
		}
	}
	return ""
}

// Command is the get-token command line of o to suggest to the user, with
// the values of secret flags masked.
func Command(o flags.Options) string {
	parts := []string{flags.Command, flags.SubGetToken}
	for _, s := range o.Set {
		name, _, _ := strings.Cut(s, "=")
		if name == "--"+flags.ClientSecret || name == "--"+flags.Password {
			s = name + "=***"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}
