// Command kcc-connect finds the EKS clusters your AWS profiles can see and
// writes kubeconfig entries for them that get their tokens through
// kcc-cache, without touching the rest of the file.
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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
