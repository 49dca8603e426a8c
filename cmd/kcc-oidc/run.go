package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/pkg/oidctoken/flags"
)

const (
	exitFailure = 1
	exitUsage   = 2
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

func (w world) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		printUsage(w.stderr)
		return exitUsage
	}
	var err error
	switch args[0] {
	case flags.OIDCGetToken:
		err = w.getToken(ctx, args[1:])
	case flags.OIDCSetup:
		err = w.setup(args[1:])
	case flags.OIDCClean:
		err = w.clean(args[1:])
	case "-h", "--help", "help":
		printUsage(w.stdout)
		return 0
	case "--version", "version":
		fmt.Fprintln(w.stdout, buildinfo.Line(flags.OIDCCommand, version, commit, date))
		return 0
	default:
		err = &flags.UsageError{Err: fmt.Errorf("unknown command %q (want %s, %s or %s)", args[0], flags.OIDCGetToken, flags.OIDCSetup, flags.OIDCClean)}
	}
	if err == nil {
		return 0
	}
	var usage *flags.UsageError
	if errors.As(err, &usage) {
		fmt.Fprintf(w.stderr, "%s: %s (see %s %s --help)\n", flags.OIDCCommand, oneLine(err.Error()), flags.OIDCCommand, args[0])
		return exitUsage
	}
	fmt.Fprintf(w.stderr, "%s: %s\n", flags.OIDCCommand, oneLine(err.Error()))
	return exitFailure
}

// oneLine folds a message onto one line: a provider's error text (a body
// go-oidc quotes, an error_description) may hold newlines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
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
