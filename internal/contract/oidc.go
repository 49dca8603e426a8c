package contract

// kcc-oidc's subcommands and flags: kubelogin's own names, so that a user
// switches from kubelogin by changing only the command.

// Subcommands of kcc-oidc.
const (
	OIDCGetToken = "get-token"
	OIDCSetup    = "setup"
	OIDCClean    = "clean"
)

// kcc-oidc's flags, as kubelogin names them.
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
// may start with "-"), in the order of the fields; extra parameters in
// key order.
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
	for _, k := range sortedKeys(o.ExtraParams) {
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
		add(OIDCAuthenticationTimeoutSec, itoa(o.AuthTimeoutSec))
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

// sortedKeys is m's keys in order (an insertion sort: this package imports
// nothing, and a command line has a handful of parameters).
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		i := len(keys)
		keys = append(keys, k)
		for ; i > 0 && keys[i-1] > k; i-- {
			keys[i] = keys[i-1]
		}
		keys[i] = k
	}
	return keys
}

// itoa is strconv.Itoa without the import.
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	var b [20]byte
	i := len(b)
	for ; n != 0; n /= 10 {
		d := n % 10
		if d < 0 {
			d = -d
		}
		i--
		b[i] = byte('0' + d)
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
