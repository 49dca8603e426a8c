package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/akstoken/flags"
)

// run is the whole program; it returns the exit code so that tests call it
// in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	w := world{lookupEnv: os.LookupEnv, stdout: stdout, stderr: stderr}
	return w.run(ctx, args)
}

// world is what a run may touch; tests replace fields.
type world struct {
	lookupEnv func(string) (string, bool)
	stdout    io.Writer
	stderr    io.Writer
	// transport replaces the SDK's HTTP client when set.
	transport policy.Transporter
}

func (w world) getenv(name string) string {
	v, _ := w.lookupEnv(name)
	return v
}

// run runs one subcommand; its errors are one line.
func (w world) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		printUsage(w.stderr)
		return cli.ExitUsage
	}
	var err error
	switch args[0] {
	case contract.AKSGetToken:
		err = w.getToken(ctx, args[1:])
	case "-h", "--help", "help":
		printUsage(w.stdout)
		return cli.ExitOK
	case "--version", "version":
		fmt.Fprintln(w.stdout, buildinfo.Line(name, version, commit, date))
		return cli.ExitOK
	case "convert-kubeconfig", "remove-tokens":
		err = cli.Usagef("%s is Azure kubelogin's; kcc-aks has only %s (kcc-injector --native-aks rewrites a kubeconfig for it)", args[0], contract.AKSGetToken)
	default:
		err = cli.Usagef("unknown command %q (want %s)", args[0], contract.AKSGetToken)
	}
	return cli.Finish(w.stderr, name, args[0], err)
}

func printUsage(out io.Writer) {
	fmt.Fprint(out, `Usage: kcc-aks get-token [flags]

  get-token  print an Entra ID token for an AKS cluster as a Kubernetes
             ExecCredential (Azure kubelogin's get-token, same flags and
             environment variables); run it behind kcc-cache, which keeps
             the token until it expires

Flags of get-token:
`)
	flags.Usage(out)
}
