package injector

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/akstoken/flags"
)

// AKSCommand is the program --native-aks puts first in args: kcc-cache
// runs it (from PATH) instead of Azure's kubelogin.
const AKSCommand = contract.AKSCommand

// NativeAKS replaces Azure kubelogin's get-token (as AKS's exec
// kubeconfigs, az aks get-credentials and kubelogin convert-kubeconfig
// write it) with kcc-aks's.
var NativeAKS = Native{
	Command:  AKSCommand,
	replaces: func(base string) bool { return base == contract.AzureKubeloginCommand },
	mapArgs:  nativeAKSArgs,
}

// nativeAKSArgs maps Azure kubelogin's get-token command line to kcc-aks's.
// It reads the flags with kcc-aks's own parser (no environment: both read
// the same variables when they run), so the result is a line kcc-aks takes
// with the meaning kubelogin gave it. A kubelogin line with
// --oidc-issuer-url is int128's (NativeOIDC's) and not mine; a line
// kcc-aks refuses, or one with a secret or a flag the entry leaves out,
// stays on kubelogin.
func nativeAKSArgs(command string, args []string) (out []string, mine bool, err error) {
	if commandBase(command) != contract.AzureKubeloginCommand || len(args) == 0 || args[0] != contract.AKSGetToken {
		return nil, false, nil
	}
	flagArgs := args[1:]
	for _, a := range flagArgs {
		if name, _, _ := strings.Cut(a, "="); name == "--"+contract.OIDCIssuerURL {
			return nil, false, nil
		}
	}
	noEnv := func(string) (string, bool) { return "", false }
	o, perr := flags.Parse(flagArgs, noEnv)
	switch {
	case perr != nil:
		msg := strconv.QuoteToASCII(strings.Join(strings.Fields(redactQuoted(perr.Error())), " "))
		msg = strings.ReplaceAll(msg[1:len(msg)-1], `\"`, `"`) // one printable line
		return nil, true, &unmappable{arg: -1, why: "kcc-aks would refuse this get-token line: " + msg}
	case o.Help:
		return nil, true, refuse(-1, "kubelogin get-token --help")
	// Secrets in a kubeconfig: the entry leaves them out (kcc-aks reads
	// them from the environment, as kubelogin does).
	case o.ClientSecret != "":
		return nil, true, refuse(-1, "a --%s in the kubeconfig, which kcc-aks's entry leaves out (set AAD_SERVICE_PRINCIPAL_CLIENT_SECRET instead)", contract.AKSClientSecret)
	case o.Password != "" || o.ClientCertificatePassword != "":
		return nil, true, refuse(-1, "a password in the kubeconfig, which kcc-aks's entry leaves out")
	}
	a := contract.AKS{Environment: o.Environment, ServerID: o.ServerID, ClientID: o.ClientID, TenantID: o.TenantID, Login: o.Login,
		ClientCertificate: o.ClientCertificate, FederatedTokenFile: o.FederatedTokenFile, AuthorityHost: o.AuthorityHost,
		IdentityResourceID: o.IdentityResourceID, UseAzureRMEnvVars: o.UseAzureRMEnvVars}
	out = contract.Argv(a)
	// A flag the builder has no field for (--username, --subscription,
	// --timeout, ...) must not be dropped on the way.
	if back, err := flags.Parse(out[2:], noEnv); err != nil || !reflect.DeepEqual(back, o) {
		return nil, true, refuse(-1, "kubelogin flags kcc-aks's entry does not carry (such as --username, --subscription, --timeout or --login-hint)")
	}
	return out, true, nil
}
