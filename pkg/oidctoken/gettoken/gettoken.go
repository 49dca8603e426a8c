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

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
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
	r := &run{o: o, env: env, store: tokenstore.Store{Backend: env.Store, Now: env.Now}, id: Identity(o)}
	r.id.KubeconfigUser = env.KubeconfigUser
	stored, found, err := r.store.Load(r.id)
	if err != nil {
		return Token{}, err
	}
	if r.servable(stored, found) {
		r.debugf("stored id_token valid until %s, served without a request", stored.Expiry.Format(time.RFC3339))
		return Token{IDToken: stored.IDToken, Expiry: stored.Expiry}, nil
	}
	r.debugWhy(stored, found)
	if env.Lock != nil {
		unlock, err := env.Lock(r.id.Key())
		if err != nil {
			return Token{}, err
		}
		defer unlock()
		// Whoever held the lock may have just stored what we need.
		prev := stored
		if stored, found, err = r.store.Load(r.id); err != nil {
			return Token{}, err
		}
		fresh := found && stored.Expiry.Sub(env.Now()) >= MinValidity
		if fresh && (!o.ForceRefresh || stored.IDToken != prev.IDToken) {
			r.debugf("another run stored a valid id_token meanwhile")
			return Token{IDToken: stored.IDToken, Expiry: stored.Expiry}, nil
		}
	}
	canRefresh := found && stored.RefreshToken != ""
	if why := cannotLogin(o, env); why != "" && !canRefresh {
		// Say so before any request: nothing the provider says can help.
		return Token{}, errors.New(why + "; run " + Command(o) + " in a terminal to log in")
	}
	if err := r.connect(ctx); err != nil {
		return Token{}, err
	}
	var refreshErr error
	if canRefresh {
		tok, err := r.refresh(ctx, stored.RefreshToken)
		if err == nil {
			return tok, nil
		}
		refreshErr = err
	}
	return r.login(ctx, refreshErr)
}

// run is one get-token past the stored-token check.
type run struct {
	o        flags.Options
	env      Env
	store    tokenstore.Store
	id       tokenstore.Identity
	provider *verify.Provider
	client   *grant.Client
}

func (r *run) debugf(format string, args ...any) {
	r.env.debugf("key %.12s: "+format, append([]any{r.id.Key()}, args...)...)
}

// servable says whether the stored id_token may be printed as it is.
func (r *run) servable(t tokenstore.Tokens, found bool) bool {
	return found && !r.o.ForceRefresh && t.Expiry.Sub(r.env.Now()) >= MinValidity
}

func (r *run) debugWhy(t tokenstore.Tokens, found bool) {
	switch {
	case !found:
		r.debugf("nothing stored")
	case r.o.ForceRefresh:
		r.debugf("--force-refresh")
	default:
		r.debugf("stored id_token expires %s, within %s", t.Expiry.Format(time.RFC3339), MinValidity)
	}
}

// connect discovers the provider.
func (r *run) connect(ctx context.Context) error {
	httpClient, err := verify.HTTPClient(verify.TLS{CAFiles: r.o.CAFiles, CAData: r.o.CAData, SkipVerify: r.o.SkipTLSVerify})
	if err != nil {
		return err
	}
	if r.provider, err = verify.Discover(ctx, httpClient, r.o.IssuerURL, r.o.ClientID, r.env.Now); err != nil {
		return err
	}
	r.client = &grant.Client{Opts: r.o, Provider: r.provider, Env: grant.Env{
		HTTP: httpClient, Stdin: r.env.Stdin, Stderr: r.env.Stderr, Open: r.env.Open, Prompt: r.env.Prompt,
	}}
	return nil
}

// refresh spends the stored refresh token. One the provider refused
// (revoked, expired) is forgotten, so that later runs do not send it again.
func (r *run) refresh(ctx context.Context, refreshToken string) (Token, error) {
	r.debugf("refreshing")
	res, err := r.client.Refresh(ctx, refreshToken)
	if err == nil {
		var tok Token
		if tok, err = r.keep(ctx, res, refreshToken); err == nil {
			r.debugf("refreshed, valid until %s", tok.Expiry.Format(time.RFC3339))
			return tok, nil
		}
	}
	r.debugf("refresh failed: %v", err)
	if errors.Is(err, grant.ErrRefused) {
		if derr := r.store.Delete(r.id); derr != nil {
			r.debugf("could not forget the refused tokens: %v", derr)
		}
	}
	return Token{}, err
}

// login runs the grant, unless it cannot run now (refreshErr says why the
// refresh before it failed).
func (r *run) login(ctx context.Context, refreshErr error) (Token, error) {
	if why := cannotLogin(r.o, r.env); why != "" {
		msg := why + "; run " + Command(r.o) + " in a terminal to log in"
		if refreshErr != nil {
			msg = "the stored refresh token was refused (" + refreshErr.Error() + "), and " + msg
		}
		return Token{}, errors.New(msg)
	}
	if refreshErr != nil {
		fmt.Fprintf(r.env.Stderr, "%s: could not refresh the stored tokens (%v); logging in again\n", contract.OIDCCommand, refreshErr)
	}
	r.debugf("logging in with the %s grant", r.o.GrantType)
	res, err := r.client.Login(ctx)
	if err != nil {
		return Token{}, err
	}
	return r.keep(ctx, res, "")
}

// keep verifies the id_token of res and stores it with the refresh token
// (the response's, or prevRefresh when a refresh response carries none).
func (r *run) keep(ctx context.Context, res grant.Result, prevRefresh string) (Token, error) {
	raw := res.IDToken()
	if raw == "" {
		return Token{}, errors.New("the provider's token response has no id_token (is the openid scope allowed for this client?)")
	}
	exp, err := r.provider.IDToken(ctx, raw, res.Want)
	if err != nil {
		return Token{}, err
	}
	rt := res.Token.RefreshToken
	if rt == "" {
		rt = prevRefresh
	}
	if err := r.store.Save(r.id, tokenstore.Tokens{IDToken: raw, RefreshToken: rt, Expiry: exp}); err != nil {
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
		ClientGrant: o.GrantType == contract.OIDCGrantClientCredentials,
		ExtraParams: o.ExtraParams,
	}
}

// cannotLogin says why the grant of o cannot run now, or "".
func cannotLogin(o flags.Options, env Env) string {
	switch o.GrantType {
	case contract.OIDCGrantAuthCodeKeyboard:
		if !env.CanAsk {
			return "a login is needed and " + contract.OIDCGrantAuthCodeKeyboard + " reads the code from a terminal, which this run has not got"
		}
	case contract.OIDCGrantPassword:
		if o.Password == "" && (!env.CanAsk || env.Prompt == nil) {
			return "a login is needed and the password must be typed in a terminal, which this run has not got"
		}
	case contract.OIDCGrantAuthCode, contract.OIDCGrantDeviceCode:
		if !env.CanShow {
			return "a login is needed and there is neither a browser to open nor a terminal to show its URL"
		}
	}
	return ""
}

// Command is the get-token command line of o to suggest to the user, with
// the client secret masked.
func Command(o flags.Options) string {
	b := o.Command()
	if b.ClientSecret != "" {
		b.ClientSecret = "***"
	}
	return strings.Join(append([]string{b.Command()}, b.Args()...), " ")
}
