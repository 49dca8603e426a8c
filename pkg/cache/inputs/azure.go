package inputs

import "path/filepath"

// azureInputs: the Azure CLI (and kubelogin's azurecli login, which runs
// it) takes the subscription and tenant from azureProfile.json's default
// subscription (`az account set`, `az login`) and the cloud from
// clouds.config, both in AZURE_CONFIG_DIR (default ~/.azure). The MSAL
// token cache beside them changes on every refresh and is not an input.
func azureInputs(lookup Lookup) []input {
	dir := pathOr(lookup, "AZURE_CONFIG_DIR", ".azure")
	if dir == "" {
		return nil
	}
	return []input{
		file{filepath.Join(dir, "azureProfile.json")},
		file{filepath.Join(dir, "clouds.config")},
	}
}
