// Command kcc-oidc is int128/kubelogin's get-token with kcc's storage: it
// prints an OIDC id_token as an ExecCredential, keeping the id_token and
// refresh_token in the OS secret store (or a 0600 file) as kcc-cache does.
package main

import (
	"github.com/IvMisticos/kube-credential-cache/internal/cli/interrupt"
	"github.com/IvMisticos/kube-credential-cache/internal/contract"
)

// name is the binary's, in its messages and --version.
const name = contract.OIDCCommand

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=..." (GoReleaser's defaults).
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// main cancels a login on Ctrl-C, so that the loopback listener closes and
// nothing half-done is stored (tokens are stored only once verified).
func main() { interrupt.Main(run) }
