package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/IvMisticos/kube-credential-cache/pkg/injector"
)

// options is what the command line asks for.
type options struct {
	inPlace bool
	restore bool
	command string
	users   []string
	natives []injector.Native
	help    bool
	version bool
	files   []string

	nativeEKS, nativeOIDC, nativeAKS, nativeAll bool

	// commandSet tells an explicit -c from the default: restore then also
	// recognises that command.
	commandSet bool
}

const usageHead = `Usage: kcc-injector [flags] [kubeconfig]

Wraps every exec credential plugin of the kubeconfig with kcc-cache (-r puts
them back). Without a file: the files of $KUBECONFIG (each user where kubectl
reads it), else ~/.kube/config. Without -i the result is printed and the file
is left alone. --native-eks also replaces aws eks get-token,
aws-iam-authenticator and eks-auth with kcc-eks; --native-oidc replaces
int128/kubelogin's get-token (kubectl oidc-login, kubelogin) with kcc-oidc's;
--native-aks replaces Azure kubelogin's get-token with kcc-aks's;
--native does every native replacement there is. A user whose plugin cannot
be replaced exactly keeps it, with a warning; -r puts back the original.

Flags:
`

// newFlagSet declares every flag in one place (docs/design.md §9: GNU long
// flags, the short forms users know, --help and --version everywhere).
func newFlagSet(o *options) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.BoolVarP(&o.inPlace, "in-place", "i", false, "edit the file in place")
	fs.BoolVarP(&o.restore, "restore", "r", false, "restore the original plugin commands")
	fs.StringVarP(&o.command, "command", "c", injector.DefaultCommand, "the `command` to inject")
	fs.StringArrayVar(&o.users, "user", nil, "only touch the user with this `name` (repeatable)")
	fs.BoolVar(&o.nativeEKS, "native-eks", false, "have EKS users run kcc-eks instead of their plugin")
	fs.BoolVar(&o.nativeOIDC, "native-oidc", false, "have int128/kubelogin users run kcc-oidc instead")
	fs.BoolVar(&o.nativeAKS, "native-aks", false, "have Azure kubelogin users run kcc-aks instead")
	fs.BoolVar(&o.nativeAll, "native", false, "every --native-* replacement (today --native-eks, --native-oidc and --native-aks)")
	fs.BoolVarP(&o.help, "help", "h", false, "print this help and exit")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	// pflag prints the error and the whole usage by default; run prints one
	// line instead.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into options. Flags may follow the file name
// ("kcc-injector ~/.kube/config -i"); "--" ends the flags.
func parseFlags(args []string) (options, *pflag.FlagSet, error) {
	var o options
	fs := newFlagSet(&o)
	if err := fs.Parse(singleDashCompat(args)); err != nil {
		return o, fs, err
	}
	o.files = fs.Args()
	o.commandSet = fs.Changed("command")
	o.natives = selectNatives(o.nativeAll, o.nativeEKS, o.nativeOIDC, o.nativeAKS)
	// "-c -i" would inject a command named "-i", which kcc-cache could not
	// tell from an option.
	if o.command == "" || strings.HasPrefix(o.command, "-") {
		return o, fs, fmt.Errorf("--command: want a command name or path, got %q", o.command)
	}
	return o, fs, nil
}

// selectNatives lists the native replacements the flags ask for, in
// injector.Natives' order.
func selectNatives(all, eks, oidc, aks bool) []injector.Native {
	if all {
		return injector.Natives
	}
	var out []injector.Native
	if eks {
		out = append(out, injector.NativeEKS)
	}
	if aks {
		out = append(out, injector.NativeAKS)
	}
	if oidc {
		out = append(out, injector.NativeOIDC)
	}
	return out
}

// singleDashCompat keeps the single-dash long forms of the earlier releases
// (Go's flag package: -user NAME, -version, -help) working: pflag would read
// them as bundles of short flags.
func singleDashCompat(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		name, _, _ := strings.Cut(a, "=")
		switch name {
		case "-user", "-version", "-help", "-in-place", "-restore", "-command":
			a = "-" + a
		}
		out = append(out, a)
	}
	return out
}

func printUsage(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprint(w, usageHead+fs.FlagUsages())
}
