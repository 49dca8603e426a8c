// Package flags parses kcc-oidc's command line: kubelogin's get-token and
// setup flags (names.go), so that a kubeconfig switches from kubelogin to
// kcc-oidc by changing the command only.
package flags

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
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
	// Set lists the flags given, in order, as "--name=value" (setup prints
	// them back); values of secret flags are included, so never log it.
	Set []string
}

// DefaultListenAddresses are kubelogin's: port 8000, then 18000.
var DefaultListenAddresses = []string{"127.0.0.1:8000", "127.0.0.1:18000"}

// UsageError is a bad command line (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

func flagSet(o *Options) *pflag.FlagSet {
	fs := pflag.NewFlagSet(Command, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVar(&o.IssuerURL, IssuerURL, "", "issuer URL of the provider (required; https, or http for a loopback host)")
	fs.StringVar(&o.ClientID, ClientID, "", "client ID (required)")
	fs.StringVar(&o.ClientSecret, ClientSecret, "", "client secret, for a confidential client")
	fs.StringSliceVar(&o.ExtraScopes, ExtraScope, nil, "scope to request besides openid (repeatable)")
	fs.BoolVar(&o.UsePKCE, UsePKCE, false, "always use PKCE S256 (default: when the provider advertises S256)")
	fs.StringToStringVar(&o.ExtraParams, AuthRequestExtraParams, nil, "extra parameters of the authorization request (key=value,...)")
	fs.StringVar(&o.GrantType, GrantType, GrantAuto, "auto|authcode|authcode-keyboard|device-code|password|client-credentials (auto: password with --username, else authcode)")
	fs.StringVar(&o.Username, Username, "", "[password] username")
	fs.StringVar(&o.Password, Password, "", "[password] password (prompted without echo on a terminal when absent)")
	fs.StringSliceVar(&o.ListenAddresses, ListenAddress, DefaultListenAddresses, "[authcode] loopback address of the redirect listener, tried in order (port 0: any free port)")
	fs.BoolVar(&o.SkipOpenBrowser, SkipOpenBrowser, false, "[authcode, device-code] do not open a browser; the URL is printed on stderr")
	fs.StringVar(&o.BrowserCommand, BrowserCommand, "", "[authcode, device-code] command that opens the URL (default: xdg-open, open or rundll32)")
	fs.IntVar(new(int), AuthenticationTimeoutSec, 180, "[authcode, device-code] give up a login after this many seconds")
	fs.StringArrayVar(&o.CAFiles, CertificateAuthority, nil, "PEM file of a CA to trust for the provider (repeatable)")
	fs.StringArrayVar(&o.CAData, CertificateAuthorityData, nil, "base64 PEM of a CA to trust for the provider (repeatable)")
	fs.BoolVar(&o.SkipTLSVerify, InsecureSkipTLSVerify, false, "do not verify the provider's certificate (insecure)")
	fs.BoolVar(&o.ForceRefresh, ForceRefresh, false, "refresh the id_token even when the stored one is valid")
	fs.StringVar(&o.TokenCacheStorage, TokenCacheStorage, "", "accepted for kubelogin compatibility; tokens are kept in kcc's store (KUBE_CREDENTIAL_CACHE_BACKEND)")
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
		return o, usageErrorf("%s", explain(err))
	}
	if o.Help {
		return o, nil
	}
	if fs.NArg() > 0 {
		return o, usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	secs, _ := fs.GetInt(AuthenticationTimeoutSec)
	o.AuthTimeout = time.Duration(secs) * time.Second
	fs.Visit(func(f *pflag.Flag) {
		if f.Name == AuthRequestExtraParams {
			// One key=value per flag: pflag merges repeated ones.
			for _, k := range slices.Sorted(maps.Keys(o.ExtraParams)) {
				o.Set = append(o.Set, "--"+f.Name+"="+k+"="+o.ExtraParams[k])
			}
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				o.Set = append(o.Set, "--"+f.Name+"="+v)
			}
			return
		}
		o.Set = append(o.Set, "--"+f.Name+"="+f.Value.String())
	})
	return o, o.validate(secs)
}

// explain turns pflag's error about a kubelogin flag kcc-oidc lacks into a
// line that says so.
func explain(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok && slices.Contains(unsupportedKubelogin, name) {
		return fmt.Sprintf("the kubelogin flag --%s is not supported by %s; remove it", name, Command)
	}
	return msg
}

func (o *Options) validate(timeoutSecs int) error {
	switch {
	case o.IssuerURL == "":
		return usageErrorf("--%s is required", IssuerURL)
	case o.ClientID == "":
		return usageErrorf("--%s is required", ClientID)
	case timeoutSecs <= 0:
		return usageErrorf("--%s must be positive", AuthenticationTimeoutSec)
	}
	if err := CheckIssuer(o.IssuerURL); err != nil {
		return &UsageError{Err: err}
	}
	switch o.GrantType {
	case GrantAuto:
		o.GrantType = GrantAuthCode
		if o.Username != "" {
			o.GrantType = GrantPassword
		}
	case GrantAuthCode, GrantAuthCodeKeyboard, GrantDeviceCode, GrantPassword, GrantClientCredentials:
	default:
		return usageErrorf("--%s %q: want auto, authcode, authcode-keyboard, device-code, password or client-credentials", GrantType, o.GrantType)
	}
	if o.GrantType == GrantPassword && o.Username == "" {
		return usageErrorf("--%s=password needs --%s", GrantType, Username)
	}
	if o.GrantType == GrantClientCredentials && o.ClientSecret == "" {
		return usageErrorf("--%s=client-credentials needs --%s", GrantType, ClientSecret)
	}
	for _, a := range o.ListenAddresses {
		if err := checkListenAddress(a); err != nil {
			return &UsageError{Err: err}
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
		return fmt.Errorf("--%s %q is not an absolute URL", IssuerURL, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("--%s %q: http is allowed only for a loopback host (localhost, 127.0.0.1, ::1); use https", IssuerURL, raw)
	}
	return fmt.Errorf("--%s %q: the scheme must be https", IssuerURL, raw)
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
		return fmt.Errorf("--%s %q: want HOST:PORT", ListenAddress, a)
	}
	if !IsLoopback(host) {
		return errors.New("--" + ListenAddress + " " + a + ": the redirect listener must be on a loopback address")
	}
	return nil
}
