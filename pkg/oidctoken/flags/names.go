package flags

import (
	"sort"
	"strconv"
)

// This file is kcc-oidc's part of the contract between binaries, shaped as
// internal/contract's files (standard library only) so that it can move
// there: the command name, the subcommands and flags (kubelogin's own, so a
// user switches by changing only the command), and OIDC, the builder of the
// get-token command line that kubeconfig entries carry.

// OIDCCommand is kcc-oidc's program name.
const OIDCCommand = "kcc-oidc"

// Subcommands.
const (
	OIDCGetToken = "get-token"
	OIDCSetup    = "setup"
	OIDCClean    = "clean"
)

// Flags, as kubelogin names them.
const (
	OIDCIssuerURL                = "oidc-issuer-url"
	OIDCClientID                 = "oidc-client-id"
	OIDCClientSecret             = "oidc-client-secret"
	OIDCExtraScope               = "oidc-extra-scope"
	OIDCUsePKCE                  = "oidc-use-pkce"
	OIDCAuthRequestExtraParams   = "oidc-auth-request-extra-params"
	OIDCGrantType                = "grant-type"
	OIDCUsername                 = "username"
	OIDCPassword                 = "password"
	OIDCListenAddress            = "listen-address"
	OIDCSkipOpenBrowser          = "skip-open-browser"
	OIDCBrowserCommand           = "browser-command"
	OIDCCertificateAuthority     = "certificate-authority"
	OIDCCertificateAuthorityData = "certificate-authority-data"
	OIDCInsecureSkipTLSVerify    = "insecure-skip-tls-verify"
	OIDCForceRefresh             = "force-refresh"
	OIDCTokenCacheStorage        = "token-cache-storage"
	OIDCAuthenticationTimeoutSec = "authentication-timeout-sec"
)

// Grant types, as kubelogin names them.
const (
	OIDCGrantAuto              = "auto"
	OIDCGrantAuthCode          = "authcode"
	OIDCGrantAuthCodeKeyboard  = "authcode-keyboard"
	OIDCGrantDeviceCode        = "device-code"
	OIDCGrantPassword          = "password"
	OIDCGrantClientCredentials = "client-credentials"
)

// OIDC is a kcc-oidc get-token command line. Zero fields are left out
// (kcc-oidc's defaults). It has no password: a kubeconfig is no place for
// one, and get-token prompts for it.
type OIDC struct {
	IssuerURL       string
	ClientID        string
	ClientSecret    string
	ExtraScopes     []string
	UsePKCE         bool
	ExtraParams     map[string]string
	GrantType       string
	Username        string
	ListenAddresses []string
	SkipOpenBrowser bool
	BrowserCommand  string
	AuthTimeoutSec  int
	CAFiles         []string
	CAData          []string
	SkipTLSVerify   bool
}

// Command is kcc-oidc.
func (OIDC) Command() string { return OIDCCommand }

// Args is get-token and its flags, each as one --name=value word (a value
// may start with "-"), in the order of the fields.
func (o OIDC) Args() []string {
	args := []string{OIDCGetToken}
	add := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name+"="+value)
		}
	}
	flag := func(name string, on bool) {
		if on {
			args = append(args, "--"+name)
		}
	}
	add(OIDCIssuerURL, o.IssuerURL)
	add(OIDCClientID, o.ClientID)
	add(OIDCClientSecret, o.ClientSecret)
	for _, s := range o.ExtraScopes {
		add(OIDCExtraScope, s)
	}
	flag(OIDCUsePKCE, o.UsePKCE)
	keys := make([]string, 0, len(o.ExtraParams))
	for k := range o.ExtraParams {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(OIDCAuthRequestExtraParams, k+"="+o.ExtraParams[k])
	}
	add(OIDCGrantType, o.GrantType)
	add(OIDCUsername, o.Username)
	for _, a := range o.ListenAddresses {
		add(OIDCListenAddress, a)
	}
	flag(OIDCSkipOpenBrowser, o.SkipOpenBrowser)
	add(OIDCBrowserCommand, o.BrowserCommand)
	if o.AuthTimeoutSec != 0 {
		add(OIDCAuthenticationTimeoutSec, strconv.Itoa(o.AuthTimeoutSec))
	}
	for _, f := range o.CAFiles {
		add(OIDCCertificateAuthority, f)
	}
	for _, d := range o.CAData {
		add(OIDCCertificateAuthorityData, d)
	}
	flag(OIDCInsecureSkipTLSVerify, o.SkipTLSVerify)
	return args
}
