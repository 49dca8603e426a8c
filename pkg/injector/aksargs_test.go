package injector

import (
	"reflect"
	"strings"
	"testing"
)

// TestNativeAKSArgs: which command lines are Azure kubelogin's get-token,
// what kcc-aks line each becomes, and why the others stay on kubelogin.
func TestNativeAKSArgs(t *testing.T) {
	for _, tt := range []struct {
		name    string
		command string
		args    []string
		mine    bool
		want    []string
		why     string
	}{
		{"AKS exec kubeconfig", "kubelogin", []string{"get-token", "--environment", "AzurePublicCloud", "--server-id", "s", "--client-id", "c", "--tenant-id", "t", "--login", "devicecode"}, true,
			[]string{"kcc-aks", "get-token", "--environment", "AzurePublicCloud", "--server-id", "s", "--client-id", "c", "--tenant-id", "t", "--login", "devicecode"}, ""},
		{"convert-kubeconfig -l workloadidentity", "/usr/local/bin/kubelogin", []string{"get-token", "--login", "workloadidentity", "--server-id", "s"}, true,
			[]string{"kcc-aks", "get-token", "--environment", "AzurePublicCloud", "--server-id", "s", "--login", "workloadidentity"}, ""},
		{"int128 kubelogin is not mine", "kubelogin", []string{"get-token", "--oidc-issuer-url=https://i", "--oidc-client-id=k"}, false, nil, ""},
		{"other program", "kubectl", []string{"get-token"}, false, nil, ""},
		{"secret in the kubeconfig", "kubelogin", []string{"get-token", "--server-id", "s", "--login", "spn", "--client-secret", "s3cr3t"}, true, nil, "a --client-secret in the kubeconfig"},
		{"legacy", "kubelogin", []string{"get-token", "--server-id", "s", "--legacy"}, true, nil, "kcc-aks would refuse this get-token line: Azure kubelogin's --legacy"},
		{"flag the entry drops", "kubelogin", []string{"get-token", "--server-id", "s", "--login", "azurecli", "--subscription", "sub"}, true, nil, "does not carry"},
		{"no server id", "kubelogin", []string{"get-token", "--login", "msi"}, true, nil, "--server-id is required"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, mine, err := nativeAKSArgs(tt.command, tt.args)
			if mine != tt.mine {
				t.Fatalf("mine = %v, want %v (err %v)", mine, tt.mine, err)
			}
			switch {
			case tt.why != "":
				if err == nil || !strings.Contains(err.Error(), tt.why) || strings.Contains(err.Error(), "s3cr3t") {
					t.Fatalf("got %q, err %v; want a refusal holding %q", got, err, tt.why)
				}
			case err != nil:
				t.Fatalf("refused: %v", err)
			case !reflect.DeepEqual(got, tt.want):
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
