// Package flags parses kcc-oidc's command line: kubelogin's get-token and
// setup flags (named in internal/contract), so that a kubeconfig switches from kubelogin to
// kcc-oidc by changing the command only.
package flags

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// Options are the flags of get-token and setup.
type Options struct {
	IssuerURL    string
	ClientID     string
	ClientSecret string
	ExtraScopes  []string
	UsePKCE      bool
	// ExtraParams go with the authorization request (and the token request
	// of client-credentials), as kubelogin sends them.
	ExtraParams map[string]string

	GrantType string
	Username  string
	Password  string

	ListenAddresses []string
	SkipOpenBrowser bool
	BrowserCommand  string
	AuthTimeout     time.Duration

	CAFiles       []string
	CAData        []string
	SkipTLSVerify bool

	ForceRefresh      bool
	TokenCacheStorage string

	Help bool
}

// defaultAuthTimeoutSec is kubelogin's --authentication-timeout-sec.
const defaultAuthTimeoutSec = 180

// Command is the get-token command line for o, without defaults and
// without the password: what a kubeconfig entry carries.
func (o Options) Command() contract.OIDC {
	b := contract.OIDC{
		IssuerURL: o.IssuerURL, ClientID: o.ClientID, ClientSecret: o.ClientSecret,
		ExtraScopes: o.ExtraScopes, UsePKCE: o.UsePKCE, ExtraParams: o.ExtraParams,
		GrantType: o.GrantType, Username: o.Username,
		SkipOpenBrowser: o.SkipOpenBrowser, BrowserCommand: o.BrowserCommand,
		CAFiles: o.CAFiles, CAData: o.CAData, SkipTLSVerify: o.SkipTLSVerify,
	}
	autoPick := contract.OIDCGrantAuthCode
	if o.Username != "" {
		autoPick = contract.OIDCGrantPassword
	}
	if o.GrantType == autoPick {
		b.GrantType = "" // --grant-type auto, the default
	}
	if !slices.Equal(o.ListenAddresses, DefaultListenAddresses) {
		b.ListenAddresses = o.ListenAddresses
	}
	if secs := int(o.AuthTimeout / time.Second); secs != defaultAuthTimeoutSec {
		b.AuthTimeoutSec = secs
	}
	return b
}

// DefaultListenAddresses are kubelogin's: port 8000, then 18000.
var DefaultListenAddresses = []string{"127.0.0.1:8000", "127.0.0.1:18000"}

func flagSet(o *Options) *pflag.FlagSet {
	fs := pflag.NewFlagSet(contract.OIDCCommand, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&o.IssuerURL, contract.OIDCIssuerURL, "", "issuer URL of the provider (required; https, or http for a loopback host)")
	fs.StringVar(&o.ClientID, contract.OIDCClientID, "", "client ID (required)")
	fs.StringVar(&o.ClientSecret, contract.OIDCClientSecret, "", "client secret, for a confidential client")
	fs.StringSliceVar(&o.ExtraScopes, contract.OIDCExtraScope, nil, "scope to request besides openid (repeatable)")
	fs.BoolVar(&o.UsePKCE, contract.OIDCUsePKCE, false, "always use PKCE S256 (default: when the provider advertises S256)")
	fs.StringToStringVar(&o.ExtraParams, contract.OIDCAuthRequestExtraParams, nil, "extra parameters of the authorization request (key=value,...)")
	fs.StringVar(&o.GrantType, contract.OIDCGrantType, contract.OIDCGrantAuto, "auto|authcode|authcode-keyboard|device-code|password|client-credentials (auto: password with --username, else authcode)")
	fs.StringVar(&o.Username, contract.OIDCUsername, "", "[password] username")
	fs.StringVar(&o.Password, contract.OIDCPassword, "", "[password] password (prompted without echo on a terminal when absent)")
	fs.StringSliceVar(&o.ListenAddresses, contract.OIDCListenAddress, DefaultListenAddresses, "[authcode] loopback address of the redirect listener, tried in order (port 0: any free port)")
	fs.BoolVar(&o.SkipOpenBrowser, contract.OIDCSkipOpenBrowser, false, "[authcode, device-code] do not open a browser; the URL is printed on stderr")
	fs.StringVar(&o.BrowserCommand, contract.OIDCBrowserCommand, "", "[authcode, device-code] command that opens the URL (default: xdg-open, open or rundll32)")
	fs.IntVar(new(int), contract.OIDCAuthenticationTimeoutSec, defaultAuthTimeoutSec, "[authcode, device-code] give up a login after this many seconds")
	fs.StringArrayVar(&o.CAFiles, contract.OIDCCertificateAuthority, nil, "PEM file of a CA to trust for the provider (repeatable)")
	fs.StringArrayVar(&o.CAData, contract.OIDCCertificateAuthorityData, nil, "base64 PEM of a CA to trust for the provider (repeatable)")
	fs.BoolVar(&o.SkipTLSVerify, contract.OIDCInsecureSkipTLSVerify, false, "do not verify the provider's certificate (insecure)")
	fs.BoolVar(&o.ForceRefresh, contract.OIDCForceRefresh, false, "refresh the id_token even when the stored one is valid")
	fs.StringVar(&o.TokenCacheStorage, contract.OIDCTokenCacheStorage, "", "accepted for kubelogin compatibility; tokens are kept in kcc's store (KUBE_CREDENTIAL_CACHE_BACKEND)")
	fs.BoolVarP(&o.Help, "help", "h", false, "show this help")
	return fs
}

// Usage writes the flag table.
func Usage(w io.Writer) {
	fmt.Fprint(w, flagSet(&Options{}).FlagUsages())
}

// Parse reads the flags of get-token or setup (args without the subcommand).
func Parse(args []string) (Options, error) {
	var o Options
	fs := flagSet(&o)
	if err := fs.Parse(args); err != nil {
		return o, cli.Usagef("%s", explain(err))
	}
	if o.Help {
		return o, nil
	}
	if fs.NArg() > 0 {
		return o, cli.Usagef("unexpected argument %q", fs.Arg(0))
	}
	secs, _ := fs.GetInt(contract.OIDCAuthenticationTimeoutSec)
	o.AuthTimeout = time.Duration(secs) * time.Second
	return o, o.validate(secs)
}

// unsupportedKubelogin are kubelogin flags kcc-oidc does not implement; each
// is refused with one line naming it rather than pflag's generic message.
var unsupportedKubelogin = []string{
	"oidc-redirect-url", "oidc-redirect-url-hostname", "oidc-redirect-url-authcode-keyboard",
	"oidc-use-access-token", "oidc-request-header", "oidc-pkce-method",
	"token-cache-dir", "local-server-cert", "local-server-key",
	"open-url-after-authentication", "tls-renegotiation-once", "tls-renegotiation-freely",
}

// explain turns pflag's error about a kubelogin flag kcc-oidc lacks into a
// line that says so.
func explain(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok && slices.Contains(unsupportedKubelogin, name) {
		return fmt.Sprintf("the kubelogin flag --%s is not supported by %s; remove it", name, contract.OIDCCommand)
	}
	return msg
}

func (o *Options) validate(timeoutSecs int) error {
	switch {
	case o.IssuerURL == "":
		return cli.Usagef("--%s is required", contract.OIDCIssuerURL)
	case o.ClientID == "":
		return cli.Usagef("--%s is required", contract.OIDCClientID)
	case timeoutSecs <= 0:
		return cli.Usagef("--%s must be positive", contract.OIDCAuthenticationTimeoutSec)
	}
	if err := CheckIssuer(o.IssuerURL); err != nil {
		return &cli.UsageError{Err: err}
	}
	switch o.GrantType {
	case contract.OIDCGrantAuto:
		o.GrantType = contract.OIDCGrantAuthCode
		if o.Username != "" {
			o.GrantType = contract.OIDCGrantPassword
		}
	case contract.OIDCGrantAuthCode, contract.OIDCGrantAuthCodeKeyboard, contract.OIDCGrantDeviceCode, contract.OIDCGrantPassword, contract.OIDCGrantClientCredentials:
	default:
		return cli.Usagef("--%s %q: want auto, authcode, authcode-keyboard, device-code, password or client-credentials", contract.OIDCGrantType, o.GrantType)
	}
	if o.GrantType == contract.OIDCGrantPassword && o.Username == "" {
		return cli.Usagef("--%s=password needs --%s", contract.OIDCGrantType, contract.OIDCUsername)
	}
	if o.GrantType == contract.OIDCGrantClientCredentials && o.ClientSecret == "" {
		return cli.Usagef("--%s=client-credentials needs --%s", contract.OIDCGrantType, contract.OIDCClientSecret)
	}
	for _, a := range o.ListenAddresses {
		if err := checkListenAddress(a); err != nil {
			return &cli.UsageError{Err: err}
		}
	}
	return nil
}

// CheckIssuer accepts https issuers, and http ones only on a loopback host
// (a provider on this machine, as in development and tests): over plain http
// anyone on the path could read the tokens.
func CheckIssuer(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("--%s %q is not an absolute URL", contract.OIDCIssuerURL, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("--%s %q: http is allowed only for a loopback host (localhost, 127.0.0.1, ::1); use https", contract.OIDCIssuerURL, raw)
	}
	return fmt.Errorf("--%s %q: the scheme must be https", contract.OIDCIssuerURL, raw)
}

// IsLoopback reports whether host is localhost or a loopback IP.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkListenAddress(a string) error {
	host, _, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("--%s %q: want HOST:PORT", contract.OIDCListenAddress, a)
	}
	if !IsLoopback(host) {
		return errors.New("--" + contract.OIDCListenAddress + " " + a + ": the redirect listener must be on a loopback address")
	}
	return nil
}
