package grant

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/verify"
)

// oobRedirect is kubelogin's redirect for authcode-keyboard: the provider
// shows the code, and the user pastes it.
const oobRedirect = "urn:ietf:params:oauth:2.0:oob"

func (c *Client) authCodeKeyboard(ctx context.Context) (Result, error) {
	cfg := c.config(oobRedirect)
	state, nonce, verifier := random(32), random(32), c.pkceVerifier()
	authURL := cfg.AuthCodeURL(state, c.authParams(nonce, verifier)...)
	fmt.Fprintf(c.Env.Stderr, "%s: open %s\n%s: then enter the code: ", contract.OIDCCommand, authURL, contract.OIDCCommand)
	line, err := bufio.NewReader(c.Env.Stdin).ReadString('\n')
	code := strings.TrimSpace(line)
	if code == "" {
		if err == nil {
			err = errors.New("empty line")
		}
		return Result{}, fmt.Errorf("no authorization code was entered: %w", err)
	}
	tok, err := cfg.Exchange(c.ctx(ctx), code, exchangeOpts(verifier)...)
	if err != nil {
		return Result{}, fmt.Errorf("could not exchange the authorization code: %w", Explain(err))
	}
	return Result{Token: tok, Want: verify.Expected{Nonce: nonce, AccessToken: tok.AccessToken}}, nil
}
