// Package flags is kcc-aks get-token's command line: Azure kubelogin's
// flags and the environment variables it reads, with its precedence. It
// links no Azure SDK, so that kcc-injector maps kubelogin's lines with the
// parser kcc-aks runs.
package flags

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// Options is one get-token command line, after the environment variables
// Azure kubelogin reads.
type Options struct {
	Login                      string
	ServerID                   string
	ClientID                   string
	TenantID                   string
	Environment                string
	ClientSecret               string
	ClientCertificate          string
	ClientCertificatePassword  string
	Username                   string
	Password                   string
	IdentityResourceID         string
	FederatedTokenFile         string
	AuthorityHost              string
	Subscription               string
	LoginHint                  string
	RedirectURL                string
	UseAzureRMEnvVars          bool
	DisableEnvironmentOverride bool
	DisableInstanceDiscovery   bool
	Timeout                    time.Duration
	Help                       bool
	// EnvironmentFile is AZURE_ENVIRONMENT_FILEPATH, where a cloud that is
	// not built in (AzureStackCloud) is read from.
	EnvironmentFile string
}

// Cloud names and the environment file's variable, as internal/azureenv
// has them (a test checks); this package links no Azure SDK.
const (
	PublicCloud        = "AzurePublicCloud"
	EnvironmentFileEnv = "AZURE_ENVIRONMENT_FILEPATH"
	cloudNames         = "AzurePublicCloud, AzureChinaCloud, AzureUSGovernmentCloud, AzureStackCloud"
)

// Logins is the --login values kcc-aks implements.
var Logins = []string{contract.AKSLoginDeviceCode, contract.AKSLoginInteractive, contract.AKSLoginSPN,
	contract.AKSLoginROPC, contract.AKSLoginMSI, contract.AKSLoginAzureCLI, contract.AKSLoginWorkloadIdentity}

// unsupported is Azure kubelogin's flags and logins kcc-aks refuses, with
// why; a kubeconfig using them stays on kubelogin.
var unsupported = map[string]string{
	"legacy":                                "ADAL v1 tokens with an spn: audience",
	"pop-enabled":                           "proof-of-possession tokens",
	"pop-claims":                            "proof-of-possession tokens",
	"azure-pipelines-service-connection-id": "the azurepipelines login",
	"cache-dir":                             "kubelogin's own token cache (kcc-cache keeps the token)",
	"token-cache-dir":                       "kubelogin's own token cache (kcc-cache keeps the token)",
}

var unsupportedLogins = map[string]string{
	"azd":            "the Azure Developer CLI login",
	"azurepipelines": "the Azure Pipelines login",
}

func flagSet(o *Options) *pflag.FlagSet {
	fs := pflag.NewFlagSet(contract.AKSCommand+" "+contract.AKSGetToken, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.StringVarP(&o.Login, contract.AKSLogin, "l", contract.AKSLoginDeviceCode, "login method: "+strings.Join(Logins, ", ")+" (or AAD_LOGIN_METHOD)")
	fs.StringVar(&o.ServerID, contract.AKSServerID, "", "the cluster's Entra ID server application ID (the token's audience)")
	fs.StringVar(&o.ClientID, contract.AKSClientID, "", "client application ID (or AAD_SERVICE_PRINCIPAL_CLIENT_ID, AZURE_CLIENT_ID)")
	fs.StringVarP(&o.TenantID, contract.AKSTenantID, "t", "", "tenant ID (or AZURE_TENANT_ID)")
	fs.StringVarP(&o.Environment, contract.AKSEnvironment, "e", PublicCloud, "cloud: "+cloudNames+" (AzureStackCloud from "+EnvironmentFileEnv+")")
	fs.StringVar(&o.ClientSecret, contract.AKSClientSecret, "", "spn: client secret (better AAD_SERVICE_PRINCIPAL_CLIENT_SECRET or AZURE_CLIENT_SECRET)")
	fs.StringVar(&o.ClientCertificate, contract.AKSClientCertificate, "", "spn: client certificate file, PFX or PEM (or AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE, AZURE_CLIENT_CERTIFICATE_PATH)")
	fs.StringVar(&o.ClientCertificatePassword, "client-certificate-password", "", "spn: the PFX file's password (better AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD)")
	fs.StringVar(&o.Username, "username", "", "ropc: user name (or AAD_USER_PRINCIPAL_NAME, AZURE_USERNAME)")
	fs.StringVar(&o.Password, "password", "", "ropc: password (better AAD_USER_PRINCIPAL_PASSWORD or AZURE_PASSWORD)")
	fs.StringVar(&o.IdentityResourceID, contract.AKSIdentityResourceID, "", "msi: the managed identity's resource ID")
	fs.StringVar(&o.FederatedTokenFile, contract.AKSFederatedTokenFile, "", "workloadidentity: the federated token file (or AZURE_FEDERATED_TOKEN_FILE)")
	fs.StringVar(&o.AuthorityHost, contract.AKSAuthorityHost, "", "Entra ID authority host, with a trailing slash (workloadidentity: or AZURE_AUTHORITY_HOST)")
	fs.StringVarP(&o.Subscription, "subscription", "s", "", "azurecli: subscription ID or name")
	fs.StringVar(&o.LoginHint, "login-hint", "", "interactive: user name to pre-fill")
	fs.StringVar(&o.RedirectURL, "redirect-url", "", "interactive: redirect URL")
	fs.BoolVar(&o.UseAzureRMEnvVars, contract.AKSUseAzureRMEnvVars, false, "read ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_CLIENT_CERTIFICATE_PATH, ARM_CLIENT_CERTIFICATE_PASSWORD, ARM_TENANT_ID (Terraform's names)")
	fs.BoolVar(&o.DisableEnvironmentOverride, "disable-environment-override", false, "read no environment variables")
	fs.BoolVar(&o.DisableInstanceDiscovery, "disable-instance-discovery", false, "skip Entra ID instance discovery (always off for a cloud from "+EnvironmentFileEnv+")")
	fs.DurationVar(&o.Timeout, "timeout", 60*time.Second, "azurecli: how long az may take (or AZURE_CLI_TIMEOUT)")
	fs.BoolVarP(&o.Help, "help", "h", false, "show this help")
	for name := range unsupported {
		fs.String(name, "", "")
		_ = fs.MarkHidden(name)
	}
	fs.Lookup("legacy").NoOptDefVal = "true"
	fs.Lookup("pop-enabled").NoOptDefVal = "true"
	return fs
}

// Usage writes get-token's flags.
func Usage(w io.Writer) {
	fs := flagSet(&Options{})
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// Parse reads get-token's arguments (without "get-token") and then the
// environment variables Azure kubelogin reads, which win over flags as
// they do in kubelogin unless --disable-environment-override.
func Parse(args []string, lookupEnv func(string) (string, bool)) (Options, error) {
	var o Options
	fs := flagSet(&o)
	if err := fs.Parse(args); err != nil {
		return o, &cli.UsageError{Err: err}
	}
	if fs.NArg() > 0 {
		return o, cli.Usagef("unexpected argument %q", fs.Arg(0))
	}
	for name, what := range unsupported {
		if fs.Changed(name) {
			return o, fmt.Errorf("Azure kubelogin's --%s (%s) is not supported; keep kubelogin for this cluster", name, what) //lint:ignore ST1005 a product name
		}
	}
	if o.Help {
		return o, nil
	}
	o.EnvironmentFile, _ = lookupEnv(EnvironmentFileEnv)
	o.fromEnv(lookupEnv)
	return o, o.validate()
}

// fromEnv is Azure kubelogin's Options.UpdateFromEnv: the later variable
// of each pair wins, and the Terraform names replace the others.
func (o *Options) fromEnv(lookup func(string) (string, bool)) {
	if o.DisableEnvironmentOverride {
		return
	}
	set := func(dst *string, names ...string) {
		for _, n := range names {
			if v, ok := lookup(n); ok {
				*dst = v
			}
		}
	}
	if o.UseAzureRMEnvVars {
		set(&o.ClientID, "ARM_CLIENT_ID")
		set(&o.ClientSecret, "ARM_CLIENT_SECRET")
		set(&o.ClientCertificate, "ARM_CLIENT_CERTIFICATE_PATH")
		set(&o.ClientCertificatePassword, "ARM_CLIENT_CERTIFICATE_PASSWORD")
		set(&o.TenantID, "ARM_TENANT_ID")
	} else {
		set(&o.ClientID, "AAD_SERVICE_PRINCIPAL_CLIENT_ID", "AZURE_CLIENT_ID")
		set(&o.ClientSecret, "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "AZURE_CLIENT_SECRET")
		set(&o.ClientCertificate, "AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE", "AZURE_CLIENT_CERTIFICATE_PATH")
		set(&o.ClientCertificatePassword, "AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD")
		set(&o.TenantID, "AZURE_TENANT_ID")
	}
	set(&o.Username, "AAD_USER_PRINCIPAL_NAME", "AZURE_USERNAME")
	set(&o.Password, "AAD_USER_PRINCIPAL_PASSWORD", "AZURE_PASSWORD")
	set(&o.Login, "AAD_LOGIN_METHOD")
	if o.Login == contract.AKSLoginWorkloadIdentity {
		set(&o.ClientID, "AZURE_CLIENT_ID")
		set(&o.FederatedTokenFile, "AZURE_FEDERATED_TOKEN_FILE")
		set(&o.AuthorityHost, "AZURE_AUTHORITY_HOST")
	}
	if v, ok := lookup("AZURE_CLI_TIMEOUT"); ok {
		if d, err := time.ParseDuration(v); err == nil {
			o.Timeout = d
		}
	}
}

func (o Options) validate() error {
	if why, ok := unsupportedLogins[o.Login]; ok {
		return fmt.Errorf("--login %s (%s) is not supported; keep Azure kubelogin for this cluster", o.Login, why)
	}
	if !slices.Contains(Logins, o.Login) {
		return cli.Usagef("--login %q is not one of %s", o.Login, strings.Join(Logins, ", "))
	}
	if o.ServerID == "" {
		return cli.Usagef("--%s is required (the cluster's Entra ID server application ID; %s for AKS-managed Entra ID)", contract.AKSServerID, contract.AKSServerIDManaged)
	}
	if o.AuthorityHost != "" {
		u, err := url.ParseRequestURI(o.AuthorityHost)
		if err != nil || u.Scheme != "https" || u.Host == "" || !strings.HasSuffix(o.AuthorityHost, "/") {
			return cli.Usagef("--%s %q is not an https URL ending in a slash", contract.AKSAuthorityHost, o.AuthorityHost)
		}
	}
	if o.Timeout <= 0 {
		return errors.New("--timeout must be greater than 0")
	}
	return nil
}
