package azuretest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// EnvironmentFile writes an environment file (go-autorest's format, as
// Azure Stack users have) whose Entra ID is the stand-in and whose
// Resource Manager is resourceManagerURL (its token audience too; a
// placeholder when empty), and returns its path: the value of
// AZURE_ENVIRONMENT_FILEPATH, with --environment AzureStackCloud.
func (e *Entra) EnvironmentFile(t testing.TB, resourceManagerURL string) string {
	t.Helper()
	if resourceManagerURL == "" {
		resourceManagerURL = "https://management.kcc.example/"
	}
	b, err := json.MarshalIndent(map[string]any{
		"name":                    "AzureStackCloud",
		"managementPortalURL":     "https://portal.kcc.example/",
		"resourceManagerEndpoint": resourceManagerURL,
		"activeDirectoryEndpoint": e.AuthorityHost(),
		"tokenAudience":           resourceManagerURL,
		"graphEndpoint":           "https://graph.kcc.example/",
		"resourceIdentifiers":     map[string]string{"graph": "https://graph.kcc.example/"},
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "azure-environment.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
