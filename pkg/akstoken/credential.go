package akstoken

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/IvMisticos/kube-credential-cache/internal/azureenv"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/akstoken/flags"
)

// Env is what a get-token may use besides its options.
type Env struct {
	// Stderr shows the device code's message.
	Stderr io.Writer
	// CanPrompt says a person can see stderr (device code) or a browser
	// (interactive); without, those logins fail at once with what to run.
	CanPrompt bool
	// Transport replaces the SDK's HTTP client when set (in-process tests).
	Transport policy.Transporter
}

// ciHint is what to run when no person is there to sign in.
const ciHint = "without a terminal use --login spn (with AAD_SERVICE_PRINCIPAL_CLIENT_ID and AAD_SERVICE_PRINCIPAL_CLIENT_SECRET), " +
	"workloadidentity, msi, or azurecli after az login"

// credential builds the azidentity credential for o's login mode, in the
// cloud o names.
func credential(o flags.Options, env Env) (azcore.TokenCredential, error) {
	cloudEnv, err := azureenv.LookupFile(o.Environment, o.EnvironmentFile)
	if err != nil {
		return nil, err
	}
	cfg := cloudEnv.Cloud()
	if o.AuthorityHost != "" {
		cfg.ActiveDirectoryAuthorityHost = o.AuthorityHost
	}
	client := azcore.ClientOptions{Cloud: cfg, Transport: env.Transport}
	// Instance discovery asks Microsoft's login host about the authority:
	// only Microsoft's own clouds answer it.
	noDiscovery := o.DisableInstanceDiscovery || o.AuthorityHost != "" || !cloudEnv.Known()
	need := func(what, value, hint string) error {
		if value == "" {
			return fmt.Errorf("--login %s needs %s (%s)", o.Login, what, hint)
		}
		return nil
	}
	switch o.Login {
	case contract.AKSLoginSPN:
		if err := firstErr(need("a client ID", o.ClientID, "set --client-id or AAD_SERVICE_PRINCIPAL_CLIENT_ID"),
			need("a tenant ID", o.TenantID, "set --tenant-id or AZURE_TENANT_ID")); err != nil {
			return nil, err
		}
		if o.ClientCertificate != "" {
			return certificateCredential(o, client, noDiscovery)
		}
		if err := need("a client secret or certificate", o.ClientSecret, "set AAD_SERVICE_PRINCIPAL_CLIENT_SECRET (or --client-certificate)"); err != nil {
			return nil, err
		}
		return azidentity.NewClientSecretCredential(o.TenantID, o.ClientID, o.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
	case contract.AKSLoginWorkloadIdentity:
		if err := firstErr(need("a client ID", o.ClientID, "set AZURE_CLIENT_ID"), need("a tenant ID", o.TenantID, "set AZURE_TENANT_ID"),
			need("a federated token file", o.FederatedTokenFile, "set AZURE_FEDERATED_TOKEN_FILE")); err != nil {
			return nil, err
		}
		return azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{ClientOptions: client,
			ClientID: o.ClientID, TenantID: o.TenantID, TokenFilePath: o.FederatedTokenFile, DisableInstanceDiscovery: noDiscovery})
	case contract.AKSLoginMSI:
		opts := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: client}
		switch {
		case o.IdentityResourceID != "":
			opts.ID = azidentity.ResourceID(o.IdentityResourceID)
		case o.ClientID != "":
			opts.ID = azidentity.ClientID(o.ClientID)
		}
		return azidentity.NewManagedIdentityCredential(opts)
	case contract.AKSLoginAzureCLI:
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: o.TenantID, Subscription: o.Subscription})
	case contract.AKSLoginROPC:
		if err := firstErr(need("a client ID", o.ClientID, "set --client-id"), need("a user name", o.Username, "set --username or AAD_USER_PRINCIPAL_NAME"),
			need("a password", o.Password, "set AAD_USER_PRINCIPAL_PASSWORD")); err != nil {
			return nil, err
		}
		return ropcCredential(o, client, noDiscovery)
	case contract.AKSLoginDeviceCode:
		if !env.CanPrompt {
			return nil, errors.New("--login devicecode shows a code to enter in a browser, and no terminal is attached; " + ciHint)
		}
		return azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{ClientOptions: client,
			ClientID: o.ClientID, TenantID: o.TenantID, DisableInstanceDiscovery: noDiscovery,
			UserPrompt: func(_ context.Context, m azidentity.DeviceCodeMessage) error {
				_, err := fmt.Fprintln(env.Stderr, m.Message)
				return err
			}})
	case contract.AKSLoginInteractive:
		if !env.CanPrompt {
			return nil, errors.New("--login interactive opens a browser, and no terminal or desktop is attached; " + ciHint)
		}
		return azidentity.NewInteractiveBrowserCredential(&azidentity.InteractiveBrowserCredentialOptions{ClientOptions: client,
			ClientID: o.ClientID, TenantID: o.TenantID, LoginHint: o.LoginHint, RedirectURL: o.RedirectURL, DisableInstanceDiscovery: noDiscovery})
	}
	return nil, fmt.Errorf("--login %s is not implemented", o.Login)
}

func certificateCredential(o flags.Options, client azcore.ClientOptions, noDiscovery bool) (azcore.TokenCredential, error) {
	data, err := os.ReadFile(o.ClientCertificate)
	if err != nil {
		return nil, fmt.Errorf("could not read the client certificate: %w", err)
	}
	var password []byte
	if o.ClientCertificatePassword != "" {
		password = []byte(o.ClientCertificatePassword)
	}
	certs, key, err := azidentity.ParseCertificates(data, password)
	if err != nil {
		return nil, fmt.Errorf("could not read the client certificate %s: %w", o.ClientCertificate, err)
	}
	return azidentity.NewClientCertificateCredential(o.TenantID, o.ClientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
}

// firstErr is the first error of errs: one line, the first thing to fix.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ropcCredential is Azure kubelogin's ropc login: a user name and password
// (no MFA; Entra ID deprecates it, kubelogin still offers it).
func ropcCredential(o flags.Options, client azcore.ClientOptions, noDiscovery bool) (azcore.TokenCredential, error) {
	//lint:ignore SA1019 Azure kubelogin's ropc login is this credential
	opts := &azidentity.UsernamePasswordCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery}
	return azidentity.NewUsernamePasswordCredential(o.TenantID, o.ClientID, o.Username, o.Password, opts)
}
