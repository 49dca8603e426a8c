// Command kcc-injector wraps the exec credential plugins of a kubeconfig
// with kcc-cache, and puts them back with -r, without touching anything else.
package main

import (
	"github.com/IvMisticos/kube-credential-cache/internal/cli/interrupt"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// name is the binary's, in its messages and --version.
const name = contract.InjectorCommand

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=..." (GoReleaser's defaults).
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// main lets an edit that Ctrl-C interrupts finish (it takes milliseconds):
// dying between the lock and the rename would leave kubectl's <file>.lock
// behind, and kubectl refuses to edit the file until it is removed by hand.
func main() { interrupt.Main(run) }
