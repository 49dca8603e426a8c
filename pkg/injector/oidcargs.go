package injector

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
)

// OIDCCommand is the program --native-oidc puts first in args: kcc-cache
// runs it (from PATH) instead of int128/kubelogin.
const OIDCCommand = contract.OIDCCommand

// NativeOIDC replaces int128/kubelogin's get-token with kcc-oidc's.
var NativeOIDC = Native{
	Command: OIDCCommand,
	replaces: func(base string) bool {
		return base == "kubelogin" || base == "kubectl-oidc_login"
	},
	mapArgs: nativeOIDCArgs,
}

// nativeOIDCArgs maps int128/kubelogin's get-token command line to
// kcc-oidc's. It reads the flags with kcc-oidc's own parser, so the
// result is a line kcc-oidc takes, with the meaning kubelogin gave it: a
// flag kcc-oidc lacks or refuses leaves the user on kubelogin. mine is
// false for any other program or subcommand.
func nativeOIDCArgs(command string, args []string) (out []string, mine bool, err error) {
	flagArgs, tool, ok := kubeloginGetToken(command, args)
	if !ok {
		return nil, false, nil
	}
	if tool == "kubelogin" {
		if u := int128Kubelogin(flagArgs); u != nil {
			return nil, true, u
		}
	}
	o, perr := flags.Parse(flagArgs)
	switch {
	case perr != nil:
		// The parser's line names flags, not values (redactQuoted).
		msg := strings.TrimSuffix(perr.Error(), "; remove it")
		msg = strconv.QuoteToASCII(strings.Join(strings.Fields(redactQuoted(msg)), " "))
		msg = strings.ReplaceAll(msg[1:len(msg)-1], `\"`, `"`) // one printable line
		return nil, true, &unmappable{arg: -1, why: "kcc-oidc would refuse this get-token line: " + msg}
	case o.Help:
		return nil, true, refuse(-1, "kubelogin get-token --help")
	// The builder leaves these out; each changes what a run does.
	case o.Password != "":
		return nil, true, refuse(-1, "a --%s in the kubeconfig, which kcc-oidc's entry leaves out", contract.OIDCPassword)
	case o.ForceRefresh:
		return nil, true, refuse(-1, "--%s, which kcc-oidc's entry leaves out", contract.OIDCForceRefresh)
	// kubelogin's stores; kcc-oidc keeps the tokens in kcc's store.
	case o.TokenCacheStorage != "" && o.TokenCacheStorage != "disk" && o.TokenCacheStorage != "keyring":
		return nil, true, refuse(-1, "--%s with a value other than disk or keyring", contract.OIDCTokenCacheStorage)
	}
	out = contract.Argv(o.Command())
	// What the builder cannot say (an empty --listen-address, which is
	// not the default list) must not change meaning on the way.
	if back, err := flags.Parse(out[2:]); err != nil || !reflect.DeepEqual(carried(back), carried(o)) {
		return nil, true, refuse(-1, "kubelogin flags kcc-oidc's entry cannot carry as they are (such as an empty --listen-address)")
	}
	return out, true, nil
}

// carried is o as a kcc-oidc entry carries it: empty lists as none, and
// without what the entry leaves out (password, force-refresh, storage).
func carried(o flags.Options) flags.Options {
	o.Password, o.ForceRefresh, o.TokenCacheStorage = "", false, ""
	for _, l := range []*[]string{&o.ExtraScopes, &o.ListenAddresses, &o.CAFiles, &o.CAData} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	if len(o.ExtraParams) == 0 {
		o.ExtraParams = nil
	}
	return o
}

// kubeloginGetToken returns the get-token flags of a kubelogin command
// line, in the shapes kubelogin's setup and the docs write: "kubectl
// oidc-login get-token", "kubectl-oidc_login get-token" (krew's name) and
// "kubelogin get-token" (the release binary's, or Azure's kubelogin: tool
// says which name it was).
func kubeloginGetToken(command string, args []string) (flagArgs []string, tool string, ok bool) {
	tool = commandBase(command)
	switch {
	case tool == "kubectl" && len(args) >= 2 && args[0] == "oidc-login" && args[1] == contract.OIDCGetToken:
		return args[2:], tool, true
	case (tool == "kubectl-oidc_login" || tool == "kubelogin") && len(args) >= 1 && args[0] == contract.OIDCGetToken:
		return args[1:], tool, true
	}
	return nil, tool, false
}

// azureFlags are flags of Azure's kubelogin get-token that int128's lacks.
var azureFlags = []string{"--server-id", "--login", "-l", "--environment", "-e", "--tenant-id", "-t", "--client-id", "--pop-enabled", "--legacy"}

// int128Kubelogin tells int128's kubelogin from Azure's, which shares its
// name and subcommand: int128's needs --oidc-issuer-url, Azure's has no
// flag of that name. Anything else is not clearly int128's.
func int128Kubelogin(flagArgs []string) *unmappable {
	for _, a := range flagArgs {
		if name, _, _ := strings.Cut(a, "="); name == "--"+contract.OIDCIssuerURL {
			return nil
		}
	}
	for i, a := range flagArgs {
		if name, _, _ := strings.Cut(a, "="); contains(azureFlags, name) {
			return refuse(i+1, "kubelogin get-token with %s is Azure's kubelogin, not int128/kubelogin", name)
		}
	}
	return refuse(-1, "kubelogin get-token without --%s is not clearly int128/kubelogin", contract.OIDCIssuerURL)
}

// redactQuoted replaces each double-quoted value in a parser's message
// with "...", so that a warning never shows what a user typed after a
// flag; quoted flag names (starting with -) are kept.
func redactQuoted(msg string) string {
	var b strings.Builder
	for {
		start := strings.IndexByte(msg, '"')
		if start < 0 {
			break
		}
		end := strings.IndexByte(msg[start+1:], '"')
		if end < 0 {
			break
		}
		end += start + 1
		b.WriteString(msg[:start+1])
		if q := msg[start+1 : end]; strings.HasPrefix(q, "-") {
			b.WriteString(q)
		} else {
			b.WriteString("...")
		}
		b.WriteByte('"')
		msg = msg[end+1:]
	}
	b.WriteString(msg)
	return b.String()
}
