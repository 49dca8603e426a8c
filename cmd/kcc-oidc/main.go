// Command kcc-oidc is int128/kubelogin's get-token with kcc's storage: it
// prints an OIDC id_token as an ExecCredential, keeping the id_token and
// refresh_token in the OS secret store (or a 0600 file) as kcc-cache does.
package main

import (
	"context"
	"os"
	"os/signal"
)

// Set at release time with -ldflags "-X main.version=... -X main.commit=...
// -X main.date=..." (GoReleaser's defaults).
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// main cancels a login on Ctrl-C, so that the loopback listener closes and
// nothing half-done is stored (tokens are stored only once verified).
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
