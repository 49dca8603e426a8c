package flags

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/azureenv"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

func noEnv(string) (string, bool) { return "", false }

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// TestParseContractRoundTrip: every command line contract.AKS builds (the
// injector's and kcc-connect's) parses back to the same fields.
func TestParseContractRoundTrip(t *testing.T) {
	for _, a := range []contract.AKS{
		{ServerID: contract.AKSServerIDManaged},
		{Environment: "AzureChinaCloud", ServerID: "s", ClientID: "c", TenantID: "t", Login: contract.AKSLoginSPN},
		{ServerID: "s", Login: contract.AKSLoginWorkloadIdentity, FederatedTokenFile: "/var/run/f", AuthorityHost: "https://login.example/", ClientID: "-c"},
		{ServerID: "s", Login: contract.AKSLoginMSI, IdentityResourceID: "/subscriptions/x/identity"},
		{ServerID: "s", Login: contract.AKSLoginSPN, ClientCertificate: "/etc/spn.pem", UseAzureRMEnvVars: true},
	} {
		args := a.Args()
		if args[0] != contract.AKSGetToken {
			t.Fatalf("%q does not start with get-token", args)
		}
		o, err := Parse(args[1:], noEnv)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		got := contract.AKS{Environment: o.Environment, ServerID: o.ServerID, ClientID: o.ClientID, TenantID: o.TenantID, Login: o.Login,
			ClientCertificate: o.ClientCertificate, FederatedTokenFile: o.FederatedTokenFile, AuthorityHost: o.AuthorityHost,
			IdentityResourceID: o.IdentityResourceID, UseAzureRMEnvVars: o.UseAzureRMEnvVars}
		want := a
		if want.Environment == "" {
			want.Environment = "AzurePublicCloud"
		}
		if want.Login == "" {
			want.Login = contract.AKSLoginDeviceCode
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q parsed to %+v, want %+v", args, got, want)
		}
	}
}

// TestParseEnvironment: the variables Azure kubelogin reads, with its
// precedence (the variable over the flag, AZURE_* over AAD_*, ARM_* only
// with --use-azurerm-env-vars, none with --disable-environment-override).
func TestParseEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want Options
	}{
		{"AAD names", []string{"--login", "spn"}, map[string]string{"AAD_SERVICE_PRINCIPAL_CLIENT_ID": "c", "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET": "s", "AZURE_TENANT_ID": "t"},
			Options{Login: "spn", ClientID: "c", ClientSecret: "s", TenantID: "t"}},
		{"AZURE names win", []string{"--login", "spn", "--client-id", "flag"}, map[string]string{"AAD_SERVICE_PRINCIPAL_CLIENT_ID": "aad", "AZURE_CLIENT_ID": "azure", "AZURE_CLIENT_SECRET": "s2"},
			Options{Login: "spn", ClientID: "azure", ClientSecret: "s2"}},
		{"ARM names only when asked", []string{"--login", "spn", "--use-azurerm-env-vars"}, map[string]string{"ARM_CLIENT_ID": "arm", "AZURE_CLIENT_ID": "azure", "ARM_CLIENT_SECRET": "as", "ARM_TENANT_ID": "at"},
			Options{Login: "spn", ClientID: "arm", ClientSecret: "as", TenantID: "at", UseAzureRMEnvVars: true}},
		{"override off", []string{"--login", "spn", "--client-id", "flag", "--disable-environment-override"}, map[string]string{"AZURE_CLIENT_ID": "azure"},
			Options{Login: "spn", ClientID: "flag", DisableEnvironmentOverride: true}},
		{"login from AAD_LOGIN_METHOD", nil, map[string]string{"AAD_LOGIN_METHOD": "msi"}, Options{Login: "msi"}},
		{"workload identity variables", []string{"--login", "workloadidentity"}, map[string]string{"AZURE_CLIENT_ID": "c", "AZURE_FEDERATED_TOKEN_FILE": "/f", "AZURE_AUTHORITY_HOST": "https://login.example/"},
			Options{Login: "workloadidentity", ClientID: "c", FederatedTokenFile: "/f", AuthorityHost: "https://login.example/"}},
		{"authority host only for workload identity", []string{"--login", "spn"}, map[string]string{"AZURE_AUTHORITY_HOST": "https://login.example/"}, Options{Login: "spn"}},
		{"ropc", []string{"--login", "ropc"}, map[string]string{"AAD_USER_PRINCIPAL_NAME": "u", "AZURE_PASSWORD": "p"}, Options{Login: "ropc", Username: "u", Password: "p"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := Parse(append([]string{"--server-id", "s"}, tc.args...), envOf(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			tc.want.ServerID, tc.want.Environment, tc.want.Timeout = "s", "AzurePublicCloud", time.Minute
			if !reflect.DeepEqual(o, tc.want) {
				t.Errorf("got %+v\nwant %+v", o, tc.want)
			}
		})
	}
}

// TestParseRefuses: one line for each command line kcc-aks cannot run,
// naming the flag; a usage error where the user mistyped.
func TestParseRefuses(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{"--login", "spn"}, "--server-id is required", true},
		{[]string{"--server-id", "s", "--login", "password"}, `--login "password" is not one of devicecode, interactive, spn, ropc, msi, azurecli, workloadidentity`, true},
		{[]string{"--server-id", "s", "--login", "azd"}, "--login azd (the Azure Developer CLI login) is not supported", false},
		{[]string{"--server-id", "s", "--legacy"}, "Azure kubelogin's --legacy (ADAL v1 tokens with an spn: audience) is not supported; keep kubelogin for this cluster", false},
		{[]string{"--server-id", "s", "--pop-enabled", "--pop-claims", "u=x"}, "proof-of-possession tokens", false},
		{[]string{"--server-id", "s", "--cache-dir", "/tmp/x"}, "--cache-dir (kubelogin's own token cache", false},
		{[]string{"--server-id", "s", "--bogus"}, "unknown flag: --bogus", true},
		{[]string{"--server-id", "s", "extra"}, `unexpected argument "extra"`, true},
		{[]string{"--server-id", "s", "--authority-host", "https://login.example"}, "is not an https URL ending in a slash", true},
		{[]string{"--server-id", "s", "--timeout", "0s"}, "--timeout must be greater than 0", false},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, err := Parse(tc.args, noEnv)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") || cli.IsUsage(err) != tc.usage {
				t.Fatalf("got %v (usage %v), want %q (usage %v)", err, cli.IsUsage(err), tc.want, tc.usage)
			}
		})
	}
}

// TestNamesMatchAzureenv: the names this package spells out are azureenv's.
func TestNamesMatchAzureenv(t *testing.T) {
	if PublicCloud != azureenv.Public || EnvironmentFileEnv != azureenv.FileEnv || cloudNames != strings.Join(azureenv.Names, ", ") {
		t.Errorf("flags has %q %q %q, azureenv %q %q %q", PublicCloud, EnvironmentFileEnv, cloudNames, azureenv.Public, azureenv.FileEnv, azureenv.Names)
	}
}
