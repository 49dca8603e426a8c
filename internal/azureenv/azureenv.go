// Package azureenv names the Azure clouds as Azure kubelogin and the older
// Azure SDK (go-autorest's azure.EnvironmentFromName) name them, and reads
// a private or Azure Stack cloud from the JSON file at
// AZURE_ENVIRONMENT_FILEPATH, in that SDK's environment-file format.
// kcc-aks and kcc-connect's aks provider both use it, so a user of a
// sovereign or Stack cloud sets the same name and file for both.
package azureenv

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

// FileEnv is the environment variable naming the environment file, as
// go-autorest and Azure kubelogin read it.
const FileEnv = "AZURE_ENVIRONMENT_FILEPATH"

// Names of the clouds, as Azure kubelogin's --environment takes them.
const (
	Public       = "AzurePublicCloud"
	China        = "AzureChinaCloud"
	USGovernment = "AzureUSGovernmentCloud"
	Stack        = "AzureStackCloud"
)

// Environment is one cloud's endpoints: the fields of go-autorest's
// environment file that a token or Resource Manager call needs. The JSON
// names are that file's.
type Environment struct {
	Name                    string `json:"name"`
	ResourceManagerEndpoint string `json:"resourceManagerEndpoint"`
	ActiveDirectoryEndpoint string `json:"activeDirectoryEndpoint"`
	// TokenAudience is Resource Manager's audience; empty means
	// ResourceManagerEndpoint's.
	TokenAudience    string `json:"tokenAudience"`
	GraphEndpoint    string `json:"graphEndpoint,omitempty"`
	ManagementPortal string `json:"managementPortalURL,omitempty"`
}

var (
	public = Environment{
		Name:                    "AzurePublicCloud",
		ResourceManagerEndpoint: "https://management.azure.com/",
		ActiveDirectoryEndpoint: "https://login.microsoftonline.com/",
		TokenAudience:           "https://management.azure.com/",
		GraphEndpoint:           "https://graph.windows.net/",
		ManagementPortal:        "https://portal.azure.com/",
	}
	china = Environment{
		Name:                    "AzureChinaCloud",
		ResourceManagerEndpoint: "https://management.chinacloudapi.cn/",
		ActiveDirectoryEndpoint: "https://login.chinacloudapi.cn/",
		TokenAudience:           "https://management.chinacloudapi.cn/",
		GraphEndpoint:           "https://graph.chinacloudapi.cn/",
		ManagementPortal:        "https://portal.azure.cn/",
	}
	usGovernment = Environment{
		Name:                    "AzureUSGovernmentCloud",
		ResourceManagerEndpoint: "https://management.usgovcloudapi.net/",
		ActiveDirectoryEndpoint: "https://login.microsoftonline.us/",
		TokenAudience:           "https://management.usgovcloudapi.net/",
		GraphEndpoint:           "https://graph.windows.net/",
		ManagementPortal:        "https://portal.azure.us/",
	}
)

// builtin maps go-autorest's upper-case names (its own aliases included)
// to the clouds it knows.
var builtin = map[string]Environment{
	"AZURECLOUD":             public,
	"AZUREPUBLIC":            public,
	"AZUREPUBLICCLOUD":       public,
	"AZURECHINACLOUD":        china,
	"AZUREUSGOVERNMENT":      usGovernment,
	"AZUREUSGOVERNMENTCLOUD": usGovernment,
}

// Names is the --environment values, for usage text and completion.
var Names = []string{Public, China, USGovernment, Stack}

// Lookup returns the cloud called name ("" is the public cloud), case
// insensitive. AzureStackCloud is read from the file at
// AZURE_ENVIRONMENT_FILEPATH, as go-autorest reads it; so is any other
// name when that file names the same cloud (a private or test cloud).
func Lookup(name string) (Environment, error) {
	if name == "" {
		return public, nil
	}
	if e, ok := builtin[strings.ToUpper(name)]; ok {
		return e, nil
	}
	path := os.Getenv(FileEnv)
	if strings.EqualFold(name, Stack) {
		if path == "" {
			return Environment{}, fmt.Errorf("environment %s is read from the file %s names, and %s is not set", Stack, FileEnv, FileEnv)
		}
		return FromFile(path)
	}
	if path != "" {
		e, err := FromFile(path)
		if err != nil {
			return Environment{}, err
		}
		if strings.EqualFold(e.Name, name) {
			return e, nil
		}
	}
	return Environment{}, fmt.Errorf("there is no Azure environment called %q (one of %s, or a cloud named in the file %s names)", name, strings.Join(Names, ", "), FileEnv)
}

// FromFile reads an environment file: JSON with at least
// resourceManagerEndpoint and activeDirectoryEndpoint, both https URLs.
func FromFile(path string) (Environment, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Environment{}, fmt.Errorf("could not read the Azure environment file: %w", err)
	}
	var e Environment
	if err := json.Unmarshal(b, &e); err != nil {
		return Environment{}, fmt.Errorf("could not read the Azure environment file %s: %w", path, err)
	}
	for _, f := range []struct{ name, value string }{
		{"resourceManagerEndpoint", e.ResourceManagerEndpoint},
		{"activeDirectoryEndpoint", e.ActiveDirectoryEndpoint},
	} {
		if err := checkURL(f.value); err != nil {
			return Environment{}, fmt.Errorf("the Azure environment file %s: %s %w", path, f.name, err)
		}
	}
	return e, nil
}

func checkURL(v string) error {
	if v == "" {
		return errors.New("is missing")
	}
	if !strings.HasPrefix(v, "https://") {
		return fmt.Errorf("%q is not an https URL", v)
	}
	return nil
}

// Audience is Resource Manager's token audience: TokenAudience, else the
// endpoint.
func (e Environment) Audience() string {
	if e.TokenAudience != "" {
		return e.TokenAudience
	}
	return e.ResourceManagerEndpoint
}

// Cloud is e as azcore's cloud configuration: the Entra ID authority host
// and Resource Manager's endpoint and audience.
func (e Environment) Cloud() cloud.Configuration {
	return cloud.Configuration{
		ActiveDirectoryAuthorityHost: withSlash(e.ActiveDirectoryEndpoint),
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Audience: e.Audience(), Endpoint: e.ResourceManagerEndpoint},
		},
	}
}

// Known reports whether the SDK knows e's Entra ID host, so that instance
// discovery (which only Microsoft's hosts answer) can stay on for it.
func (e Environment) Known() bool {
	for _, b := range []Environment{public, china, usGovernment} {
		if strings.EqualFold(withSlash(e.ActiveDirectoryEndpoint), b.ActiveDirectoryEndpoint) {
			return true
		}
	}
	return false
}

func withSlash(s string) string {
	if s == "" || strings.HasSuffix(s, "/") {
		return s
	}
	return s + "/"
}
