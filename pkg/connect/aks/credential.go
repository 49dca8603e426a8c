package aks

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Login modes, as Azure kubelogin's --login names them.
const (
	LoginDefault          = "" // azidentity's DefaultAzureCredential chain
	LoginDeviceCode       = "devicecode"
	LoginAzureCLI         = "azurecli"
	LoginSPN              = "spn"
	LoginWorkloadIdentity = "workloadidentity"
	LoginMSI              = "msi"
	LoginInteractive      = "interactive"
)

// Logins are the --login values.
var Logins = []string{LoginDeviceCode, LoginAzureCLI, LoginSPN, LoginWorkloadIdentity, LoginMSI, LoginInteractive}

// credential is the identity discovery runs as: --login's credential, or
// the default chain (environment service principal, workload identity,
// managed identity, Azure CLI, Azure Developer CLI, PowerShell).
func (p *Provider) credential(co azcore.ClientOptions, noDiscovery bool) (azcore.TokenCredential, error) {
	tenant := p.opts.TenantID
	if tenant == "" {
		tenant = p.opts.Getenv("AZURE_TENANT_ID")
	}
	switch p.opts.Login {
	case LoginDefault:
		return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery, TenantID: p.opts.TenantID})
	case LoginSPN:
		// Azure kubelogin's variables first, then the SDK's.
		id := firstEnv(p.opts.Getenv, "AAD_SERVICE_PRINCIPAL_CLIENT_ID", "AZURE_CLIENT_ID")
		secret := firstEnv(p.opts.Getenv, "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "AZURE_CLIENT_SECRET")
		if id != "" && secret != "" && tenant != "" {
			return azidentity.NewClientSecretCredential(tenant, id, secret, &azidentity.ClientSecretCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery})
		}
		c, err := azidentity.NewEnvironmentCredential(&azidentity.EnvironmentCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery})
		if err != nil {
			return nil, errors.New("--login spn needs AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AAD_SERVICE_PRINCIPAL_CLIENT_ID and _SECRET) and AZURE_TENANT_ID or --tenant-id")
		}
		return c, nil
	case LoginAzureCLI:
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: p.opts.TenantID})
	case LoginDeviceCode:
		return azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			ClientOptions: co, DisableInstanceDiscovery: noDiscovery, TenantID: tenant,
			UserPrompt: func(_ context.Context, m azidentity.DeviceCodeMessage) error {
				_, err := fmt.Fprintln(p.opts.Stderr, m.Message)
				return err
			},
		})
	case LoginInteractive:
		return azidentity.NewInteractiveBrowserCredential(&azidentity.InteractiveBrowserCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery, TenantID: tenant})
	case LoginWorkloadIdentity:
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{ClientOptions: co, DisableInstanceDiscovery: noDiscovery, TenantID: p.opts.TenantID})
	case LoginMSI:
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: co}
		if id := p.opts.Getenv("AZURE_CLIENT_ID"); id != "" {
			o.ID = azidentity.ClientID(id)
		}
		return azidentity.NewManagedIdentityCredential(o)
	}
	return nil, fmt.Errorf("--login %q: want one of %s", p.opts.Login, strings.Join(Logins, ", "))
}

// checkToken gets the first token, so that an identity that has none is
// one error rather than one warning per subscription.
func (p *Provider) checkToken(ctx context.Context, cred azcore.TokenCredential, audience, authority string) error {
	_, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{audience + "/.default"}})
	if err == nil {
		return nil
	}
	var af *azidentity.AuthenticationFailedError
	configured := p.opts.Login != LoginDefault || firstEnv(p.opts.Getenv, "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE") != ""
	switch {
	case !configured:
		// The chain found nothing it could use (a managed identity
		// endpoint that answers but has no identity counts as nothing).
		return errors.New("no Azure credential found: set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, run az login, or choose one with --login devicecode|azurecli|spn|workloadidentity|msi|interactive")
	case errors.As(err, &af) && af.RawResponse != nil:
		//lint:ignore ST1005 Entra ID is a product name
		return fmt.Errorf("Entra ID refused the %s credential (HTTP %d): check its client id, secret and tenant", p.loginName(), af.RawResponse.StatusCode)
	case errors.As(err, &af):
		return fmt.Errorf("could not get a token for the %s credential from Entra ID at %s (check --environment and the network)", p.loginName(), authority)
	}
	return fmt.Errorf("no token from --login %s: %s", p.loginName(), firstLine(err.Error()))
}

func (p *Provider) loginName() string {
	if p.opts.Login == "" {
		return "default"
	}
	return p.opts.Login
}

func firstEnv(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// firstLine is s up to its first line break.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
