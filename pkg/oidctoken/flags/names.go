package flags

// The command and flag names of kcc-oidc: kubelogin's own, so that a user
// switches by changing only the command. They are the contract with the
// kubeconfig entries that `kcc-oidc setup` (and later kcc-injector) writes.
const (
	Command = "kcc-oidc"

	SubGetToken = "get-token"
	SubSetup    = "setup"
	SubClean    = "clean"

	IssuerURL                = "oidc-issuer-url"
	ClientID                 = "oidc-client-id"
	ClientSecret             = "oidc-client-secret"
	ExtraScope               = "oidc-extra-scope"
	UsePKCE                  = "oidc-use-pkce"
	AuthRequestExtraParams   = "oidc-auth-request-extra-params"
	GrantType                = "grant-type"
	Username                 = "username"
	Password                 = "password"
	ListenAddress            = "listen-address"
	SkipOpenBrowser          = "skip-open-browser"
	BrowserCommand           = "browser-command"
	CertificateAuthority     = "certificate-authority"
	CertificateAuthorityData = "certificate-authority-data"
	InsecureSkipTLSVerify    = "insecure-skip-tls-verify"
	ForceRefresh             = "force-refresh"
	TokenCacheStorage        = "token-cache-storage"
	AuthenticationTimeoutSec = "authentication-timeout-sec"
)

// Grant types, as kubelogin names them.
const (
	GrantAuto              = "auto"
	GrantAuthCode          = "authcode"
	GrantAuthCodeKeyboard  = "authcode-keyboard"
	GrantDeviceCode        = "device-code"
	GrantPassword          = "password"
	GrantClientCredentials = "client-credentials"
)

// unsupportedKubelogin are kubelogin flags kcc-oidc does not implement; each
// is refused with one line naming it rather than pflag's generic message.
var unsupportedKubelogin = []string{
	"oidc-redirect-url", "oidc-redirect-url-hostname", "oidc-redirect-url-authcode-keyboard",
	"oidc-use-access-token", "oidc-request-header", "oidc-pkce-method",
	"token-cache-dir", "local-server-cert", "local-server-key",
	"open-url-after-authentication", "tls-renegotiation-once", "tls-renegotiation-freely",
}

// GetTokenArgs is the plugin command line, after kcc-cache, for the flags
// set (as Options.Set lists them): [kcc-oidc get-token --flag=value ...].
func GetTokenArgs(set []string) []string {
	return append([]string{Command, SubGetToken}, set...)
}
