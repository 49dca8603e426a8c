package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/awserr"
	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/pkg/ekstoken"
)

const (
	exitFailure = 1
	exitUsage   = 2
)

// run is the whole program; it returns the exit code so that tests call it
// in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runAt(ctx, time.Now, args, stdin, stdout, stderr)
}

// runAt is run with the clock now, which the in-process tests fix.
func runAt(ctx context.Context, now func() time.Time, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := ekstoken.ParseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "kcc-eks: %v (see kcc-eks --help)\n", err)
		return exitUsage
	}
	switch {
	case o.Help:
		printUsage(stdout)
		return 0
	case o.Version:
		fmt.Fprintln(stdout, buildinfo.Line("kcc-eks", version, commit, date))
		return 0
	}
	cred, err := ekstoken.Generate(ctx, o, ekstoken.Env{Now: now, Stdin: stdin, Stderr: stderr})
	if err != nil {
		fmt.Fprintln(stderr, "kcc-eks: "+awserr.Message(err))
		if ekstoken.IsConfig(err) {
			return exitUsage
		}
		return exitFailure
	}
	if _, err := stdout.Write(cred.Marshal()); err != nil {
		fmt.Fprintf(stderr, "kcc-eks: could not write the credential: %v\n", err)
		return exitFailure
	}
	return 0
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: kcc-eks --cluster-name NAME [flags]

Prints an EKS token as a Kubernetes ExecCredential on stdout: the same bytes
as 'aws eks get-token' for the same credentials, region, cluster and second.
Credentials come from the AWS SDK's standard chain (AWS_PROFILE, env keys,
~/.aws, SSO, web identity, container and instance roles).

In a kubeconfig, behind kcc-cache:
  exec:
    apiVersion: client.authentication.k8s.io/v1beta1
    command: kcc-cache
    args: [kcc-eks, --cluster-name, NAME, --region, REGION]

Flags:
`)
	ekstoken.Usage(w)
}
