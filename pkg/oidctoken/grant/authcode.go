package grant

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/verify"
)

// authCode is the authorization code grant with a loopback redirect (RFC
// 8252): a listener on the first free --listen-address receives the code.
func (c *Client) authCode(ctx context.Context) (Result, error) {
	ln, err := listen(c.Opts.ListenAddresses)
	if err != nil {
		return Result{}, err
	}
	defer ln.Close()
	// kubelogin's redirect: http://localhost:PORT, which providers match
	// against what the user registered for kubelogin.
	redirect := "http://localhost:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	cfg := c.config(redirect)
	state, nonce, verifier := random(32), random(32), c.pkceVerifier()
	authURL := cfg.AuthCodeURL(state, c.authParams(nonce, verifier)...)

	ctx, cancel := context.WithTimeout(ctx, c.Opts.AuthTimeout)
	defer cancel()
	type answer struct {
		code string
		err  error
	}
	got := make(chan answer, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var a answer
		switch {
		case q.Get("state") != state:
			// Not the answer to our request (a stale tab, another site):
			// refuse it and keep waiting for the real one.
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		case q.Get("error") != "":
			a.err = fmt.Errorf("the provider refused the login: %s", describe(q.Get("error"), q.Get("error_description")))
		case q.Get("code") == "":
			a.err = errors.New("the provider redirected without a code")
		default:
			a.code = q.Get("code")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if a.err != nil {
			fmt.Fprintf(w, "<!DOCTYPE html><p>Login failed: %s</p>", html.EscapeString(a.err.Error()))
		} else {
			fmt.Fprint(w, "<!DOCTYPE html><p>Logged in. You can close this window.</p>")
		}
		select {
		case got <- a:
		default:
		}
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	fmt.Fprintf(c.Env.Stderr, "%s: log in at %s\n", contract.OIDCCommand, authURL)
	if !c.Opts.SkipOpenBrowser {
		if err := c.Env.Open(ctx, authURL); err != nil {
			fmt.Fprintf(c.Env.Stderr, "%s: could not open a browser (%v); open the URL above\n", contract.OIDCCommand, err)
		}
	}
	var a answer
	select {
	case a = <-got:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("no login within %s (--%s)", c.Opts.AuthTimeout, contract.OIDCAuthenticationTimeoutSec)
	}
	if a.err != nil {
		return Result{}, a.err
	}
	tok, err := cfg.Exchange(c.ctx(ctx), a.code, exchangeOpts(verifier)...)
	if err != nil {
		return Result{}, fmt.Errorf("could not exchange the authorization code: %w", Explain(err))
	}
	return Result{Token: tok, Want: verify.Expected{Nonce: nonce, AccessToken: tok.AccessToken}}, nil
}

// listen binds the first address of addrs that is free.
func listen(addrs []string) (net.Listener, error) {
	var errs []error
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err == nil {
			return ln, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("could not listen for the login redirect on %v: %w", addrs, errors.Join(errs...))
}

func describe(code, desc string) string {
	if desc == "" {
		return code
	}
	return code + ": " + desc
}
