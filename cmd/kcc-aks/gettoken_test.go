package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/azureenv"
	"github.com/IvMisticos/kube-credential-cache/internal/azuretest"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

const (
	serverID = contract.AKSServerIDManaged
	secret   = "kcc-aks-test-secret~Q1"
)

// These tests run kcc-aks in-process against the Entra ID stand-in (no
// Azure emulator exists), reached through AZURE_ENVIRONMENT_FILEPATH and
// --environment AzureStackCloud.
func runAKS(t *testing.T, e *azuretest.Entra, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	all := map[string]string{azureenv.FileEnv: e.EnvironmentFile(t, "")}
	for k, v := range env {
		all[k] = v
	}
	var out, errOut bytes.Buffer
	w := world{
		lookupEnv: func(k string) (string, bool) { v, ok := all[k]; return v, ok },
		stdout:    &out, stderr: &errOut, transport: e.Client(),
	}
	code = w.run(context.Background(), append([]string{"get-token", "--environment", "AzureStackCloud", "--server-id", serverID, "--tenant-id", e.Tenant}, args...))
	if strings.Contains(out.String()+errOut.String(), secret) {
		t.Errorf("the secret is in the output:\n%s\n%s", out.String(), errOut.String())
	}
	return code, out.String(), errOut.String()
}

type execCredential struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Status     struct {
		Token      string    `json:"token"`
		Expiration time.Time `json:"expirationTimestamp"`
	} `json:"status"`
}

// TestGetToken: each login the stand-in can serve gives an ExecCredential
// of the apiVersion kubectl asked for, whose token verifies for the server
// application and whose expiry is the token's own.
func TestGetToken(t *testing.T) {
	e := azuretest.StartEntra(t)
	e.Lifetime = 75 * time.Minute
	e.AddClient("spn-client", secret)
	e.AddFederatedClient("wi-client", "federated-assertion")
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("federated-assertion"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		env        map[string]string
		args       []string
		apiVersion string
	}{
		{"spn, secret from AAD_SERVICE_PRINCIPAL_CLIENT_SECRET, v1", map[string]string{"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET": secret,
			"KUBERNETES_EXEC_INFO": `{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}`},
			[]string{"--login", "spn", "--client-id", "spn-client"}, "client.authentication.k8s.io/v1"},
		{"spn from ARM_* variables, no exec info: v1beta1", map[string]string{"ARM_CLIENT_ID": "spn-client", "ARM_CLIENT_SECRET": secret},
			[]string{"--login", "spn", "--use-azurerm-env-vars"}, "client.authentication.k8s.io/v1beta1"},
		{"workload identity", map[string]string{"AZURE_CLIENT_ID": "wi-client", "AZURE_FEDERATED_TOKEN_FILE": tokenFile},
			[]string{"--login", "workloadidentity"}, "client.authentication.k8s.io/v1beta1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runAKS(t, e, tc.env, tc.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var ec execCredential
			if err := json.Unmarshal([]byte(stdout), &ec); err != nil {
				t.Fatal(err)
			}
			if ec.APIVersion != tc.apiVersion || ec.Kind != "ExecCredential" {
				t.Errorf("got %s %s", ec.APIVersion, ec.Kind)
			}
			c, err := e.Verify(ec.Status.Token, serverID)
			if err != nil {
				t.Fatal(err)
			}
			if !ec.Status.Expiration.Equal(c.Expiry) {
				t.Errorf("expirationTimestamp %v, the token expires %v", ec.Status.Expiration, c.Expiry)
			}
		})
	}
}

// TestGetTokenFailures: one line each, naming what to fix, nothing on
// stdout, no secret.
func TestGetTokenFailures(t *testing.T) {
	e := azuretest.StartEntra(t)
	e.AddClient("spn-client", "the-right-one")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"wrong secret", map[string]string{"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET": secret}, []string{"--login", "spn", "--client-id", "spn-client"}, cli.ExitFailure,
			"kcc-aks: --login spn could not get a token for " + serverID + ": Entra ID says invalid_client: AADSTS7000215: Invalid client secret provided."},
		{"no secret", nil, []string{"--login", "spn", "--client-id", "spn-client"}, cli.ExitFailure,
			"kcc-aks: --login spn needs a client secret or certificate (set AAD_SERVICE_PRINCIPAL_CLIENT_SECRET (or --client-certificate))"},
		{"devicecode without a terminal", nil, []string{"--login", "devicecode", "--client-id", "c"}, cli.ExitFailure,
			"kcc-aks: --login devicecode shows a code to enter in a browser, and no terminal is attached; without a terminal use --login spn"},
		{"interactive without a desktop", map[string]string{"KUBERNETES_EXEC_INFO": `{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}`},
			[]string{"--login", "interactive"}, cli.ExitFailure, "kcc-aks: --login interactive opens a browser, and no terminal or desktop is attached"},
		{"unknown cloud", nil, []string{"--login", "spn", "--environment", "AzureMoonCloud"}, cli.ExitFailure,
			`kcc-aks: there is no Azure environment called "AzureMoonCloud"`},
		{"bad exec info", map[string]string{"KUBERNETES_EXEC_INFO": "{"}, []string{"--login", "spn"}, cli.ExitUsage,
			"kcc-aks: invalid KUBERNETES_EXEC_INFO: not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.TokenRequests()
			code, stdout, stderr := runAKS(t, e, tc.env, tc.args...)
			if code != tc.code || stdout != "" || !strings.HasPrefix(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, stdout, stderr, tc.code, tc.want)
			}
			if tc.name != "wrong secret" && e.TokenRequests() != before {
				t.Errorf("a request reached Entra ID")
			}
		})
	}
}

func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--version"}, 0, "kcc-aks "},
		{[]string{"--help"}, 0, "Usage: kcc-aks get-token"},
		{[]string{"get-token", "--help"}, 0, "--server-id"},
		{[]string{"convert-kubeconfig"}, cli.ExitUsage, "kcc-aks: convert-kubeconfig is Azure kubelogin's; kcc-aks has only get-token"},
		{[]string{"login"}, cli.ExitUsage, `kcc-aks: unknown command "login"`},
		{nil, cli.ExitUsage, "Usage:"},
	} {
		var out bytes.Buffer
		w := world{lookupEnv: func(string) (string, bool) { return "", false }, stdout: &out, stderr: &out}
		if code := w.run(context.Background(), tc.args); code != tc.code || !strings.Contains(out.String(), tc.out) {
			t.Errorf("%q: exit %d\n%s", tc.args, code, out.String())
		}
	}
}
