package contract

// kcc-aks's subcommand and flags: Azure kubelogin's own names, so that a
// user switches from Azure's kubelogin by changing only the command.

// AKSCommand is kcc-aks, the native Entra ID token plugin for AKS.
const AKSCommand = "kcc-aks"

// AzureKubeloginCommand is Azure's kubelogin as AKS and az aks
// get-credentials write it in a kubeconfig.
const AzureKubeloginCommand = "kubelogin"

// AKSGetToken is kcc-aks's (and Azure kubelogin's) token subcommand.
const AKSGetToken = "get-token"

// kcc-aks's flags, as Azure kubelogin names them.
const (
	AKSServerID           = "server-id"
	AKSClientID           = "client-id"
	AKSTenantID           = "tenant-id"
	AKSLogin              = "login"
	AKSEnvironment        = "environment"
	AKSClientSecret       = "client-secret"
	AKSClientCertificate  = "client-certificate"
	AKSFederatedTokenFile = "federated-token-file"
	AKSAuthorityHost      = "authority-host"
	AKSIdentityResourceID = "identity-resource-id"
	AKSUseAzureRMEnvVars  = "use-azurerm-env-vars"
	AKSLegacy             = "legacy"
)

// Login modes, as Azure kubelogin's --login names them.
const (
	AKSLoginDeviceCode       = "devicecode"
	AKSLoginInteractive      = "interactive"
	AKSLoginSPN              = "spn"
	AKSLoginROPC             = "ropc"
	AKSLoginMSI              = "msi"
	AKSLoginAzureCLI         = "azurecli"
	AKSLoginWorkloadIdentity = "workloadidentity"
)

// AKSServerIDManaged is the server application ID of every AKS cluster
// with managed Entra ID integration (Microsoft's "Azure Kubernetes Service
// AAD Server" application).
const AKSServerIDManaged = "6dae42f8-4368-4678-94ff-3960e28e3630"

// AKS is a kcc-aks get-token command line. Zero fields are left out
// (kcc-aks's defaults: devicecode, AzurePublicCloud, and what the
// environment variables say). It has no client secret: a kubeconfig is no
// place for one (kcc-aks reads it from the environment variables Azure
// kubelogin reads).
type AKS struct {
	Environment        string
	ServerID           string
	ClientID           string
	TenantID           string
	Login              string
	ClientCertificate  string // a file name
	FederatedTokenFile string
	AuthorityHost      string
	IdentityResourceID string
	UseAzureRMEnvVars  bool
	Legacy             bool
}

// Command is kcc-aks.
func (AKS) Command() string { return AKSCommand }

// Args is get-token and its flags in the order AKS writes them in an
// exec kubeconfig (environment, server, client, tenant, login), then the
// others.
func (a AKS) Args() []string {
	args := []string{AKSGetToken}
	for _, f := range []struct{ name, value string }{
		{AKSEnvironment, a.Environment},
		{AKSServerID, a.ServerID},
		{AKSClientID, a.ClientID},
		{AKSTenantID, a.TenantID},
		{AKSLogin, a.Login},
		{AKSClientCertificate, a.ClientCertificate},
		{AKSFederatedTokenFile, a.FederatedTokenFile},
		{AKSAuthorityHost, a.AuthorityHost},
		{AKSIdentityResourceID, a.IdentityResourceID},
	} {
		args = appendFlag(args, f.name, f.value)
	}
	if a.UseAzureRMEnvVars {
		args = append(args, "--"+AKSUseAzureRMEnvVars)
	}
	if a.Legacy {
		args = append(args, "--"+AKSLegacy)
	}
	return args
}
