// Command kcc-eks prints an EKS token as an ExecCredential, byte for byte
// what `aws eks get-token` prints, in milliseconds instead of a second: the
// plugin to put behind kcc-cache for EKS clusters.
package main

import (
	"context"
	"os"

	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// name is the binary's, in its messages and --version.
const name = contract.EKSCommand

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=..." (GoReleaser's defaults).
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// main installs no signal handler: kcc-eks writes no file, so dying at any
// point leaves nothing behind, and a handler costs start-up time.
func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
