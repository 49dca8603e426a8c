package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/IvMisticos/kube-credential-cache/internal/awserr"
	"github.com/IvMisticos/kube-credential-cache/internal/buildinfo"
	"github.com/IvMisticos/kube-credential-cache/internal/cli"
	"github.com/IvMisticos/kube-credential-cache/pkg/ekstoken"
)

// run is the whole program; it returns the exit code so that tests call it
// in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runAt(ctx, time.Now, args, stdin, stdout, stderr)
}

// runAt is run with the clock now, which the in-process tests fix.
func runAt(ctx context.Context, now func() time.Time, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		return cli.Fail(stderr, name, cli.ExitUsage, cli.SeeHelp(name, err))
	}
	switch {
	case c.help:
		printUsage(stdout)
		return cli.ExitOK
	case c.version:
		fmt.Fprintln(stdout, buildinfo.Line(name, version, commit, date))
		return cli.ExitOK
	}
	cred, err := ekstoken.Generate(ctx, c.opts, ekstoken.Env{Now: now, Stdin: stdin, Stderr: stderr})
	if err != nil {
		cli.PrintError(stderr, name, awserr.Message(err))
		if ekstoken.IsConfig(err) {
			return cli.ExitUsage
		}
		return cli.ExitFailure
	}
	if _, err := stdout.Write(cred.Marshal()); err != nil {
		return cli.Fail(stderr, name, cli.ExitFailure, fmt.Errorf("could not write the credential: %w", err))
	}
	return cli.ExitOK
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

Flags (also as eks-auth takes them: -name value, -name=value, --role ARN):
`)
	printFlags(w)
}
