// Command kcc-aks is Azure kubelogin's get-token for AKS, natively: the
// same flags and environment variables, an Entra ID token for the
// cluster's server application from azidentity, printed as an
// ExecCredential with its real expiry for kcc-cache to keep.
package main

import (
	"github.com/IvMisticos/kube-credential-cache/internal/cli/interrupt"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// name is the binary's, in its messages and --version.
const name = contract.AKSCommand

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=..." (GoReleaser's defaults).
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// main cancels a device-code or browser sign-in on Ctrl-C.
func main() { interrupt.Main(run) }
