package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/cache"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/rancher"
	"github.com/IvMisticos/kube-credential-cache/pkg/connect/secrets"
	"github.com/IvMisticos/kube-credential-cache/pkg/execcred"
)

// rancherFlags are the rancher provider's flags: the server, how to log in
// to it, and how to write its entries.
type rancherFlags struct {
	apiEndpoint  string
	authProvider string
	ace          string
	plaintext    bool
}

// Environment variables the rancher provider reads itself: secrets are
// never flag defaults (config list would show them, config set would write
// them into the config file).
const (
	rancherPasswordEnv = envPrefix + "PASSWORD"
	rancherTokenEnv    = envPrefix + "TOKEN"
)

// aceFirst as --ace (the flag without a value) is the first ACE context.
const aceFirst = "*"

// rancherOnly are the flags of the rancher provider only.
var rancherOnly = []string{"api-endpoint", "auth-provider", "ace", "plaintext-token"}

// loginFlagNames are the flags of a password login, shared by SAML (eks)
// and rancher.
var loginFlagNames = []string{"username", "password-stdin"}

// loginFlags are the user name and password source of a password login
// (SAML at an IdP, or Rancher's): the password itself has no flag.
type loginFlags struct {
	username      string
	passwordStdin bool
}

// addLoginFlags adds --username and --password-stdin once, whichever of
// the providers that log in with a password asks first.
func addLoginFlags(fs *pflag.FlagSet, a *app) {
	if fs.Lookup("username") != nil {
		return
	}
	fs.StringVar(&a.login.username, "username", "", "[eks saml, rancher] `user` name to log in as (the password is asked without echo on a terminal, or read with --password-stdin or from $"+rancherPasswordEnv+")")
	fs.BoolVar(&a.login.passwordStdin, "password-stdin", false, "[eks saml, rancher] read the password from the first line of stdin")
}

// addRancherFlags adds the rancher provider's flags; write adds those of
// use and to (--ace, --plaintext-token).
func addRancherFlags(fs *pflag.FlagSet, a *app, write bool) {
	r := &a.rancher
	fs.StringVar(&r.apiEndpoint, "api-endpoint", "", "[rancher] Rancher's v3 API, https://HOST/v3")
	fs.StringVar(&r.authProvider, "auth-provider", rancher.AuthLocal, "[rancher] how to log in: "+strings.Join(rancher.AuthProviders, ", ")+" (token: $"+rancherTokenEnv+")")
	addLoginFlags(fs, a)
	if write {
		fs.StringVar(&r.ace, "ace", "", "[rancher] make this authorized cluster endpoint context current (as Rancher names it; no value: the first)")
		fs.Lookup("ace").NoOptDefVal = aceFirst
		fs.BoolVar(&r.plaintext, "plaintext-token", false, "[rancher] keep Rancher's token in the kubeconfig, as Rancher's file has it, instead of kcc's store")
	}
}

// readyRancher checks the rancher flags.
func (a *app) readyRancher(cmd *cobra.Command) error {
	fs := cmd.Flags()
	for _, n := range append(append(append([]string(nil), sourceFlags...), "label", "cluster-id", "cluster-ca", "cluster-ca-data", "client-id", "scopes", "profile", "all-profiles", "region", "all-regions", "role-arn", "exec"), gkeOnly...) {
		if f := fs.Lookup(n); f != nil && f.Changed && !(n == "exec" && f.Value.String() == rancher.Plugin) {
			return cli.Usagef("--%s is not a flag of --provider rancher", n)
		}
	}
	if a.rancher.apiEndpoint == "" {
		return cli.Usagef("the rancher provider needs --api-endpoint https://HOST/v3")
	}
	if err := rancher.CheckEndpoint(a.rancher.apiEndpoint); err != nil {
		return cli.Usagef("%v", err)
	}
	ok := false
	for _, p := range rancher.AuthProviders {
		ok = ok || a.rancher.authProvider == p
	}
	if !ok {
		return cli.Usagef("--auth-provider %q: want %s", a.rancher.authProvider, strings.Join(rancher.AuthProviders, ", "))
	}
	if a.rancher.authProvider == rancher.AuthToken && a.getenv(rancherTokenEnv) == "" {
		return cli.Usagef("--auth-provider token reads the API token from $%s, which is not set", rancherTokenEnv)
	}
	return nil
}

// rancherFlagsGiven reports a rancher flag given on the command line.
func rancherFlagsGiven(fs *pflag.FlagSet) string {
	for _, n := range rancherOnly {
		if fs.Changed(n) {
			return n
		}
	}
	return ""
}

// secretStore is kcc's store, opened once per command.
func (a *app) secretStore() (*secrets.Store, error) {
	if a.secrets != nil {
		return a.secrets, nil
	}
	var debugf func(string, ...any)
	if a.verbose >= 2 {
		debugf = func(f string, args ...any) { a.log.Debug(fmt.Sprintf(f, args...)) }
	}
	s, err := secrets.Open(debugf)
	if err != nil {
		return nil, err
	}
	if w := s.Warning(); w != "" {
		cli.Warn(a.stderr, name, w)
	}
	a.secrets = s
	a.closers = append(a.closers, s)
	return s, nil
}

// rancherProvider is the rancher provider of the flags.
func (a *app) rancherProvider() (*rancher.Provider, error) {
	if a.rancherP != nil {
		return a.rancherP, nil
	}
	store, err := a.secretStore()
	if err != nil {
		return nil, err
	}
	opts := rancher.Options{
		APIEndpoint:  a.rancher.apiEndpoint,
		AuthProvider: a.rancher.authProvider,
		Store:        store,
		HTTPClient:   a.httpClient,
		UserAgent:    name + "/" + appVersion(),
		Plaintext:    a.rancher.plaintext,
	}
	if opts.AuthProvider == rancher.AuthToken {
		opts.Token = a.getenv(rancherTokenEnv)
	}
	opts.Credentials = a.rancherCredentials
	a.rancherP = rancher.New(opts)
	return a.rancherP, nil
}

// rancherCredentials are the username (--username, else asked) and the
// password: stdin with --password-stdin, else $KCC_CONNECT_PASSWORD, else
// asked without echo on the terminal.
func (a *app) rancherCredentials() (string, string, error) {
	user, pass := a.login.username, ""
	switch {
	case a.login.passwordStdin:
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", "", fmt.Errorf("--password-stdin: %w", err)
		}
		pass = strings.TrimRight(line, "\r\n")
		if pass == "" {
			return "", "", errors.New("--password-stdin: no password on stdin")
		}
	case a.getenv(rancherPasswordEnv) != "":
		pass = a.getenv(rancherPasswordEnv)
	}
	if user != "" && pass != "" {
		return user, pass, nil
	}
	in, out, done, ok := a.promptTerminal()
	if !ok {
		return "", "", errors.New("no terminal to ask for the username and password: give --username with --password-stdin or $" + rancherPasswordEnv)
	}
	defer done()
	if user == "" {
		fmt.Fprintf(out, "Username for %s: ", a.rancher.apiEndpoint)
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && line == "" {
			return "", "", fmt.Errorf("reading the username: %w", err)
		}
		user = strings.TrimSpace(line)
	}
	if pass == "" {
		fmt.Fprintf(out, "Password for %s at %s: ", user, a.rancher.apiEndpoint)
		f, isFile := in.(*os.File)
		if !isFile {
			return "", "", errors.New("no terminal to ask for the password")
		}
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out)
		if err != nil {
			return "", "", fmt.Errorf("reading the password: %w", err)
		}
		pass = string(b)
	}
	return user, pass, nil
}

// expandRancher replaces each chosen cluster by the entries of the
// kubeconfig Rancher generates for it, and says which becomes current
// (--ace).
func (a *app) expandRancher(cmd *cobra.Command, p *rancher.Provider, chosen []connect.Cluster) ([]connect.Cluster, string, error) {
	var out []connect.Cluster
	current := ""
	var aces []string
	aceChosen := false
	for _, c := range chosen {
		cid := strings.TrimPrefix(c.ID, p.Endpoint()+"/clusters/")
		all, err := p.Kubeconfig(cmd.Context(), cid)
		if err != nil {
			p.Discard(cmd.Context())
			return nil, "", err
		}
		if current == "" {
			current = all[0].ID
		}
		for _, x := range all {
			if !x.ACE {
				continue
			}
			aces = append(aces, x.Context)
			if !aceChosen && (a.rancher.ace == x.Context || a.rancher.ace == aceFirst) {
				current, aceChosen = x.ID, true
			}
		}
		out = append(out, all...)
	}
	if a.rancher.ace != "" && !aceChosen {
		p.Discard(cmd.Context())
		if len(aces) == 0 {
			return nil, "", fmt.Errorf("--ace: no selected cluster has an authorized cluster endpoint")
		}
		return nil, "", fmt.Errorf("--ace %q: no such context; Rancher's are %s", a.rancher.ace, strings.Join(aces, ", "))
	}
	return out, current, nil
}

// newTokenCmd is `kcc-connect token`: the ExecCredential of a Rancher
// cluster's token, from kcc's store, for kcc-cache to run.
func newTokenCmd(a *app) *cobra.Command {
	var endpoint, cluster string
	cmd := &cobra.Command{
		Use:   contract.ConnectToken + " --" + contract.ConnectTokenAPIEndpoint + " URL --" + contract.ConnectTokenCluster + " ID",
		Short: "Print a Rancher cluster's token as an ExecCredential (what its kubeconfig user runs)",
		Long: "token prints the kubeconfig token of a Rancher cluster, which kcc-connect use\n" +
			"kept in kcc's store, as an ExecCredential: the kubeconfig's user runs\n" +
			"kcc-cache kcc-connect token, so the token is in no file. An expired or\n" +
			"forgotten token is one line naming the kcc-connect use to run.",
		Args: noArgs,
		// Plumbing that kubeconfig users run: not in --help's list, and
		// its flags take no defaults from the config.
		Hidden: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if endpoint == "" || cluster == "" {
				return cli.Usagef("token needs --%s and --%s", contract.ConnectTokenAPIEndpoint, contract.ConnectTokenCluster)
			}
			if err := rancher.CheckEndpoint(endpoint); err != nil {
				return cli.Usagef("%v", err)
			}
			info, err := cache.ParseExecInfo(a.getenv(execcred.ExecInfoEnv))
			if err != nil {
				return &cli.UsageError{Err: err}
			}
			store, err := a.secretStore()
			if err != nil {
				return err
			}
			p := rancher.New(rancher.Options{APIEndpoint: endpoint, Store: store})
			tok, expires, err := p.Token(cluster)
			if err != nil {
				return err
			}
			status := map[string]string{"token": tok}
			if !expires.IsZero() {
				status["expirationTimestamp"] = expires.UTC().Format(time.RFC3339)
			}
			b, err := json.Marshal(status)
			if err != nil {
				return err
			}
			_, err = a.stdout.Write(cache.Render(info.APIVersion, b))
			return err
		},
	}
	cmd.Flags().StringVar(&endpoint, contract.ConnectTokenAPIEndpoint, "", "Rancher's v3 API, https://HOST/v3")
	cmd.Flags().StringVar(&cluster, contract.ConnectTokenCluster, "", "Rancher's cluster `id` (c-xxxxx)")
	return cmd
}

// newLogoutCmd is `kcc-connect logout --provider rancher`.
func newLogoutCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logout --provider rancher --api-endpoint URL",
		Short: "Revoke the Rancher login token kcc-connect keeps and forget it",
		Long: "logout revokes the login token kcc-connect keeps in kcc's store for the\n" +
			"Rancher server (DELETE /v3/tokens/NAME) and forgets it; the next discover or\n" +
			"use logs in again. The clusters' kubeconfig tokens stay until they expire or\n" +
			"use replaces them.",
		Example: "  kcc-connect logout --provider rancher --api-endpoint https://rancher.example/v3",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.providerName != rancher.Name {
				return cli.Usagef("logout is for --provider rancher (other providers keep no login)")
			}
			if err := a.setProvider(cmd, rancher.Name); err != nil {
				return err
			}
			p, err := a.rancherProvider()
			if err != nil {
				return err
			}
			had, err := p.Logout(cmd.Context())
			if err != nil {
				return err
			}
			if !had {
				fmt.Fprintf(a.stderr, "%s: not logged in to %s\n", name, p.Endpoint())
				return nil
			}
			fmt.Fprintf(a.stdout, "logged out of %s (token revoked and forgotten)\n", p.Endpoint())
			return nil
		},
	}
	addProviderFlag(cmd.Flags(), a)
	addRancherFlags(cmd.Flags(), a, false)
	return cmd
}

// settleRancher keeps the tokens of the entries written when err is nil
// (or only the history failed), and revokes them when nothing was written.
func settleRancher(ctx context.Context, p connect.Provider, err error) error {
	rp, ok := p.(*rancher.Provider)
	if !ok {
		return err
	}
	if err != nil && !errors.Is(err, connect.ErrRecord) {
		rp.Discard(ctx)
		return err
	}
	if cerr := rp.Commit(ctx); cerr != nil {
		return cerr
	}
	return err
}

// failed is a provider that could not be made (kcc's store would not
// open): every call is its error.
type failed struct {
	name string
	err  error
}

func (f failed) Name() string { return f.name }
func (f failed) Discover(context.Context, connect.Selection) ([]connect.Cluster, []connect.Warning, error) {
	return nil, nil, f.err
}
func (f failed) Describe(context.Context, connect.Cluster) (connect.Cluster, error) {
	return connect.Cluster{}, f.err
}
func (f failed) Exec(connect.Cluster, string) (connect.Exec, error) { return connect.Exec{}, f.err }
