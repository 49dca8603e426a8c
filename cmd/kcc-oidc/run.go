package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
)

// run is the whole program; it returns the exit code so that tests call it
// in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	w := world{now: time.Now, getenv: os.Getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	return w.run(ctx, args)
}

// world is what a run may touch; tests replace fields.
type world struct {
	now    func() time.Time
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// open replaces the browser opener when set.
	open func(ctx context.Context, url string) error
}

// run runs one subcommand. Its errors are one line (a provider's text may
// hold newlines; cli.PrintError folds them); a usage error points at the
// subcommand's --help.
func (w world) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		printUsage(w.stderr)
		return cli.ExitUsage
	}
	var err error
	switch args[0] {
	case contract.OIDCGetToken:
		err = w.getToken(ctx, args[1:])
	case contract.OIDCSetup:
		err = w.setup(args[1:])
	case contract.OIDCClean:
		err = w.clean(args[1:])
	case "-h", "--help", "help":
		printUsage(w.stdout)
		return cli.ExitOK
	case "--version", "version":
		fmt.Fprintln(w.stdout, buildinfo.Line(name, version, commit, date))
		return cli.ExitOK
	default:
		err = cli.Usagef("unknown command %q (want %s, %s or %s)", args[0], contract.OIDCGetToken, contract.OIDCSetup, contract.OIDCClean)
	}
	return cli.Finish(w.stderr, name, args[0], err)
}

func printUsage(out io.Writer) {
	fmt.Fprint(out, `Usage: kcc-oidc get-token|setup|clean [flags]

  get-token  print the OIDC id_token as a Kubernetes ExecCredential (kubelogin's
             get-token, same flags); tokens are kept in kcc's store
  setup      print the kubeconfig users entry for these flags, behind kcc-cache
  clean      remove every token kcc-oidc stored

Flags of get-token and setup:
`)
	flags.Usage(out)
}
