package azureenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	// arm registers Resource Manager in azcore's cloud configurations.
	_ "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

func writeFile(t *testing.T, body string) string {
	path := filepath.Join(t.TempDir(), "env.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const stackFile = `{"name": "AzureStackCloud", "resourceManagerEndpoint": "https://management.local.azurestack.external/",
 "activeDirectoryEndpoint": "https://login.microsoftonline.com", "tokenAudience": "https://management.contoso.onmicrosoft.com/abc",
 "galleryEndpoint": "https://portal.local.azurestack.external:30015/"}`

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		name, file, env string
		authority, arm  string
		audience        string
		err             string
	}{
		{name: "", authority: cloud.AzurePublic.ActiveDirectoryAuthorityHost, arm: "https://management.azure.com/"},
		{name: "AzurePublicCloud", authority: cloud.AzurePublic.ActiveDirectoryAuthorityHost, arm: "https://management.azure.com/"},
		{name: "azurecloud", authority: cloud.AzurePublic.ActiveDirectoryAuthorityHost, arm: "https://management.azure.com/"},
		{name: "AzureChinaCloud", authority: cloud.AzureChina.ActiveDirectoryAuthorityHost, arm: "https://management.chinacloudapi.cn/"},
		{name: "AzureUSGovernmentCloud", authority: cloud.AzureGovernment.ActiveDirectoryAuthorityHost, arm: "https://management.usgovcloudapi.net/"},
		{name: "AzureUSGovernment", authority: cloud.AzureGovernment.ActiveDirectoryAuthorityHost, arm: "https://management.usgovcloudapi.net/"},
		{name: "AzureStackCloud", file: stackFile, authority: "https://login.microsoftonline.com/",
			arm: "https://management.local.azurestack.external/", audience: "https://management.contoso.onmicrosoft.com/abc"},
		{name: "azurestackcloud", file: stackFile, authority: "https://login.microsoftonline.com/",
			arm: "https://management.local.azurestack.external/", audience: "https://management.contoso.onmicrosoft.com/abc"},
		{name: "PrivateCloud", file: `{"name":"privatecloud","resourceManagerEndpoint":"https://arm.example/","activeDirectoryEndpoint":"https://login.example/"}`,
			authority: "https://login.example/", arm: "https://arm.example/", audience: "https://arm.example/"},
		{name: "AzureStackCloud", err: "AZURE_ENVIRONMENT_FILEPATH is not set"},
		{name: "PrivateCloud", err: `no Azure environment called "PrivateCloud"`},
		{name: "OtherCloud", file: stackFile, err: `no Azure environment called "OtherCloud"`},
		{name: "AzureStackCloud", file: `{"name":"x","activeDirectoryEndpoint":"https://login.example/"}`, err: "resourceManagerEndpoint is missing"},
		{name: "AzureStackCloud", file: `{"name":"x","resourceManagerEndpoint":"http://arm/","activeDirectoryEndpoint":"https://login.example/"}`, err: `"http://arm/" is not an https URL`},
		{name: "AzureStackCloud", file: `{`, err: "could not read the Azure environment file"},
	} {
		t.Run(tc.name+tc.err, func(t *testing.T) {
			t.Setenv(FileEnv, "")
			if tc.file != "" {
				t.Setenv(FileEnv, writeFile(t, tc.file))
			}
			e, err := Lookup(tc.name)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := e.Cloud()
			if c.ActiveDirectoryAuthorityHost != tc.authority || c.Services[cloud.ResourceManager].Endpoint != tc.arm {
				t.Errorf("got %+v", c)
			}
			want := tc.audience
			if want == "" {
				want = tc.arm
			}
			if got := c.Services[cloud.ResourceManager].Audience; got != want {
				t.Errorf("audience %q, want %q", got, want)
			}
		})
	}
}

// The built-in clouds agree with azcore's own configurations.
func TestBuiltinMatchesAzcore(t *testing.T) {
	for name, c := range map[string]cloud.Configuration{Public: cloud.AzurePublic, China: cloud.AzureChina, USGovernment: cloud.AzureGovernment} {
		e, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Cloud(); got.ActiveDirectoryAuthorityHost != c.ActiveDirectoryAuthorityHost ||
			strings.TrimSuffix(got.Services[cloud.ResourceManager].Endpoint, "/") != c.Services[cloud.ResourceManager].Endpoint {
			t.Errorf("%s: %+v, azcore has %+v", name, got, c)
		}
		if !e.Known() {
			t.Errorf("%s is not known", name)
		}
	}
}
